/*
 * A small, complete vsnprintf.  Output goes through a cursor that counts
 * every character but stores only what fits, so callers can size buffers
 * from the return value.
 */
#include "kernel/lib/format.h"

#include <stdbool.h>
#include <stdint.h>

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void out_char(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		out_char(o, c);
}

struct spec {
	bool left, zero, plus, space, alt;
	int width;
	int prec;		/* -1: none */
};

static void out_str(struct out *o, const struct spec *sp, const char *s)
{
	int len = 0;

	if (!s)
		s = "(null)";
	while (s[len] && (sp->prec < 0 || len < sp->prec))
		len++;
	if (!sp->left)
		out_pad(o, ' ', sp->width - len);
	for (int i = 0; i < len; i++)
		out_char(o, s[i]);
	if (sp->left)
		out_pad(o, ' ', sp->width - len);
}

static void out_num(struct out *o, const struct spec *sp, uint64_t v,
		    bool neg, unsigned base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;
	char sign = neg ? '-' : sp->plus ? '+' : sp->space ? ' ' : 0;
	const char *prefix = "";
	bool zero = v == 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (sp->prec == 0 && n == 1 && tmp[0] == '0')
		n = 0;
	if (sp->alt && base == 16 && !zero)	/* C: "%#x" of 0 is "0" */
		prefix = upper ? "0X" : "0x";
	else if (sp->alt && base == 8 && (n == 0 || tmp[n - 1] != '0'))
		prefix = "0";

	int plen = (int)(prefix[0] ? (prefix[1] ? 2 : 1) : 0);
	int zeros = sp->prec > n ? sp->prec - n : 0;
	int body = n + zeros + plen + (sign ? 1 : 0);

	if (sp->zero && !sp->left && sp->prec < 0 && sp->width > body) {
		zeros += sp->width - body;
		body = sp->width;
	}
	if (!sp->left)
		out_pad(o, ' ', sp->width - body);
	if (sign)
		out_char(o, sign);
	for (int i = 0; i < plen; i++)
		out_char(o, prefix[i]);
	out_pad(o, '0', zeros);
	while (n)
		out_char(o, tmp[--n]);
	if (sp->left)
		out_pad(o, ' ', sp->width - body);
}

enum lenmod { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE };

static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	*sp = (struct spec){ .prec = -1 };
	for (;; f++) {
		if (*f == '-') sp->left = true;
		else if (*f == '0') sp->zero = true;
		else if (*f == '+') sp->plus = true;
		else if (*f == ' ') sp->space = true;
		else if (*f == '#') sp->alt = true;
		else break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->left = true;
			sp->width = -sp->width;
		}
		f++;
	} else {
		while (*f >= '0' && *f <= '9')
			sp->width = sp->width * 10 + (*f++ - '0');
	}
	if (*f == '.') {
		f++;
		sp->prec = 0;
		if (*f == '*') {
			sp->prec = va_arg(*ap, int);
			if (sp->prec < 0)
				sp->prec = -1;
			f++;
		} else {
			while (*f >= '0' && *f <= '9')
				sp->prec = sp->prec * 10 + (*f++ - '0');
		}
	}
	return f;
}

static const char *parse_len(const char *f, enum lenmod *len)
{
	*len = LEN_INT;
	if (f[0] == 'h' && f[1] == 'h') { *len = LEN_CHAR; return f + 2; }
	if (f[0] == 'h') { *len = LEN_SHORT; return f + 1; }
	if (f[0] == 'l' && f[1] == 'l') { *len = LEN_LLONG; return f + 2; }
	if (f[0] == 'l' || f[0] == 'j') { *len = LEN_LONG; return f + 1; }
	if (f[0] == 'z' || f[0] == 't') { *len = LEN_SIZE; return f + 1; }
	return f;
}

static int64_t arg_signed(enum lenmod len, va_list *ap)
{
	switch (len) {
	case LEN_CHAR: return (signed char)va_arg(*ap, int);
	case LEN_SHORT: return (short)va_arg(*ap, int);
	case LEN_LONG: return va_arg(*ap, long);
	case LEN_LLONG: return va_arg(*ap, long long);
	case LEN_SIZE: return (int64_t)va_arg(*ap, size_t);
	default: return va_arg(*ap, int);
	}
}

static uint64_t arg_unsigned(enum lenmod len, va_list *ap)
{
	switch (len) {
	case LEN_CHAR: return (unsigned char)va_arg(*ap, unsigned);
	case LEN_SHORT: return (unsigned short)va_arg(*ap, unsigned);
	case LEN_LONG: return va_arg(*ap, unsigned long);
	case LEN_LLONG: return va_arg(*ap, unsigned long long);
	case LEN_SIZE: return va_arg(*ap, size_t);
	default: return va_arg(*ap, unsigned);
	}
}

/* One conversion; `+` and ` ` apply to signed conversions only, as in C. */
static void format_conv(struct out *o, char conv, struct spec *sp, enum lenmod len, va_list *ap)
{
	switch (conv) {
	case 'd':
	case 'i': {
		int64_t v = arg_signed(len, ap);
		out_num(o, sp, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0, 10, false);
		return;
	}
	case 'u':
	case 'x':
	case 'X':
	case 'o':
		sp->plus = sp->space = false;
		out_num(o, sp, arg_unsigned(len, ap), false, conv == 'u' ? 10 : conv == 'o' ? 8 : 16,
			conv == 'X');
		return;
	case 'p':
		sp->alt = true;
		sp->plus = sp->space = false;
		out_num(o, sp, (uintptr_t)va_arg(*ap, void *), false, 16, false);
		return;
	case 's':
		out_str(o, sp, va_arg(*ap, const char *));
		return;
	case 'c':		/* written even when NUL, like C */
		if (!sp->left)
			out_pad(o, ' ', sp->width - 1);
		out_char(o, (char)va_arg(*ap, int));
		if (sp->left)
			out_pad(o, ' ', sp->width - 1);
		return;
	case '%':
		out_char(o, '%');
		return;
	default:
		out_char(o, '%');
		out_char(o, conv);
		return;
	}
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap_in)
{
	struct out o = { buf, size, 0 };
	struct spec sp;
	enum lenmod len;
	va_list ap;

	va_copy(ap, ap_in);
	for (const char *f = fmt; *f; f++) {
		if (*f != '%') {
			out_char(&o, *f);
			continue;
		}
		f = parse_len(parse_spec(f + 1, &sp, &ap), &len);
		if (*f == '\0')
			break;		/* lone '%' at the end */
		format_conv(&o, *f, &sp, len, &ap);
	}
	va_end(ap);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
