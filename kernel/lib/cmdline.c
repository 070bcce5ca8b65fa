/*
 * Command-line tokenizer and value parsers (grammar in cmdline.h).  One
 * pass over the input: each token is scanned into a bounded key and value
 * buffer while its faults are noted, then judged and stored or reported.
 * Nothing here allocates or prints, so the host tests drive it directly.
 */
#include "kernel/lib/cmdline.h"

#include "kernel/errno.h"
#include "kernel/lib/string.h"

/* One token as scanned: the raw text for error reports, the unquoted key
 * and value (truncated to the buffers; the lengths count everything). */
struct token {
	const char *raw;
	size_t raw_len;
	char key[CMDLINE_KEY_MAX];
	char value[CMDLINE_VALUE_MAX];
	size_t key_len, value_len;
	bool has_value;
	bool bad_key_char;
	bool open_quote;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

static void token_add(struct token *t, char c)
{
	if (t->has_value) {
		if (t->value_len < CMDLINE_VALUE_MAX - 1)
			t->value[t->value_len] = c;
		t->value_len++;
		return;
	}
	if (!is_key_char(c))
		t->bad_key_char = true;
	if (t->key_len < CMDLINE_KEY_MAX - 1)
		t->key[t->key_len] = c;
	t->key_len++;
}

/* Scans the token starting at `p` (not a blank, not the end); returns the
 * position just past it. */
static const char *token_scan(const char *p, struct token *t)
{
	*t = (struct token){ .raw = p };
	for (; *p && (t->open_quote || !is_blank(*p)); p++) {
		if (*p == '"')
			t->open_quote = !t->open_quote;
		else if (*p == '=' && !t->has_value)
			t->has_value = true;
		else
			token_add(t, *p);
	}
	t->raw_len = (size_t)(p - t->raw);
	/* The buffers were zeroed and are written only below their last byte,
	 * so both are terminated whatever the lengths. */
	return p;
}

/* 0 if the token is well formed, else why not (the table is judged later). */
static enum cmdline_error token_check(const struct token *t)
{
	if (t->open_quote)
		return CMDLINE_UNTERMINATED_QUOTE;
	if (t->key_len == 0)
		return CMDLINE_EMPTY_KEY;
	if (t->bad_key_char)
		return CMDLINE_BAD_KEY;
	if (t->key_len >= CMDLINE_KEY_MAX)
		return CMDLINE_KEY_TOO_LONG;
	if (t->value_len >= CMDLINE_VALUE_MAX)
		return CMDLINE_VALUE_TOO_LONG;
	return 0;
}

static struct cmdline_param *cmdline_slot(struct cmdline *cl, const char *key)
{
	for (size_t i = 0; i < cl->count; i++)
		if (!strcmp(cl->params[i].key, key))
			return &cl->params[i];
	if (cl->count == CMDLINE_PARAMS_MAX)
		return NULL;
	return &cl->params[cl->count++];
}

static enum cmdline_error token_store(struct cmdline *cl, const struct token *t)
{
	enum cmdline_error err = token_check(t);
	struct cmdline_param *slot;

	if (err)
		return err;
	slot = cmdline_slot(cl, t->key);
	if (!slot)
		return CMDLINE_TOO_MANY;
	memcpy(slot->key, t->key, sizeof(slot->key));
	memcpy(slot->value, t->value, sizeof(slot->value));
	slot->has_value = t->has_value;
	return 0;
}

int cmdline_parse(struct cmdline *cl, const char *s, cmdline_error_fn on_error, void *arg)
{
	struct token t;
	int errors = 0;

	cl->count = 0;
	if (!s)
		return 0;
	for (;;) {
		while (is_blank(*s))
			s++;
		if (!*s)
			return errors;
		s = token_scan(s, &t);
		enum cmdline_error err = token_store(cl, &t);
		if (err) {
			errors++;
			if (on_error)
				on_error(err, t.raw, t.raw_len, arg);
		}
	}
}

const struct cmdline_param *cmdline_find(const struct cmdline *cl, const char *key)
{
	for (size_t i = 0; i < cl->count; i++)
		if (!strcmp(cl->params[i].key, key))
			return &cl->params[i];
	return NULL;
}

void cmdline_remove(struct cmdline *cl, const char *key)
{
	for (size_t i = 0; i < cl->count; i++) {
		if (strcmp(cl->params[i].key, key))
			continue;
		memmove(&cl->params[i], &cl->params[i + 1],
			(cl->count - i - 1) * sizeof(cl->params[0]));
		cl->count--;
		return;
	}
}

const char *cmdline_strerror(enum cmdline_error err)
{
	switch (err) {
	case CMDLINE_EMPTY_KEY: return "empty key";
	case CMDLINE_BAD_KEY: return "key has characters outside [A-Za-z0-9_.-]";
	case CMDLINE_UNTERMINATED_QUOTE: return "unterminated quote";
	case CMDLINE_KEY_TOO_LONG: return "key too long";
	case CMDLINE_VALUE_TOO_LONG: return "value too long";
	case CMDLINE_TOO_MANY: return "too many parameters";
	}
	return "unknown error";
}

/* Decimal digits at *s up to a non-digit; advances *s.  -EINVAL if there
 * are none, -ERANGE beyond `max`. */
static int parse_digits(const char **s, uint64_t max, uint64_t *out)
{
	const char *p = *s;
	uint64_t v = 0;

	if (*p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');
		if (d > max || v > (max - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*s = p;
	*out = v;
	return 0;
}

int cmdline_parse_uint(const char *s, uint64_t max, uint64_t *out)
{
	int err = parse_digits(&s, max, out);

	if (err)
		return err;
	return *s ? -EINVAL : 0;
}

/* Parses the dotted quad at *s, advancing past it. */
static int parse_quad(const char **s, uint32_t *addr)
{
	uint32_t a = 0;

	for (int i = 0; i < 4; i++) {
		const char *start;
		uint64_t byte;

		if (i && *(*s)++ != '.')
			return -EINVAL;
		start = *s;
		if (parse_digits(s, 255, &byte))
			return -EINVAL;
		if (*start == '0' && *s - start > 1)
			return -EINVAL;
		a = a << 8 | (uint32_t)byte;
	}
	*addr = a;
	return 0;
}

int cmdline_parse_ipv4(const char *s, uint32_t *addr)
{
	if (parse_quad(&s, addr))
		return -EINVAL;
	return *s ? -EINVAL : 0;
}

int cmdline_parse_ipv4_prefix(const char *s, uint32_t *addr, unsigned *prefix)
{
	uint64_t n;

	if (parse_quad(&s, addr) || *s++ != '/')
		return -EINVAL;
	if (*s == '0' && s[1])
		return -EINVAL;
	if (cmdline_parse_uint(s, 32, &n))
		return -EINVAL;
	*prefix = (unsigned)n;
	return 0;
}
