/*
 * Parser and formatter for filter rule strings (grammar: netfilter.h).
 *
 * The spec is parsed completely into a staging area first and committed
 * only when every item is valid, so a bad `nf=` leaves the table as it was.
 * Tokens are slices of the input (pointer + length), never copied.
 */
#include "net/core/netfilter.h"

#include <stdarg.h>

#include "kernel/lib/format.h"
#include "kernel/lib/string.h"
#include "net/core/byteorder.h"

#define IPPROTO_ICMP	1
#define IPPROTO_TCP	6
#define IPPROTO_UDP	17

struct tok {
	const char *s;
	size_t n;
};

struct nf_staged {
	struct nf_rule rules[NF_MAX_RULES];
	unsigned int nrules;
	int policy[NF_INET_NUMHOOKS];	/* -1: unchanged */
};

static const char *const chain_names[NF_INET_NUMHOOKS] = {
	[NF_INET_PRE_ROUTING] = "pre",
	[NF_INET_LOCAL_IN] = "in",
	[NF_INET_FORWARD] = "fwd",
	[NF_INET_LOCAL_OUT] = "out",
	[NF_INET_POST_ROUTING] = "post",
};

static bool tok_is(struct tok t, const char *word)
{
	return t.n == strlen(word) && !memcmp(t.s, word, t.n);
}

/* Splits *rest at the first sep: returns the head, advances *rest past it. */
static struct tok tok_next(struct tok *rest, char sep)
{
	struct tok t = { rest->s, 0 };

	while (t.n < rest->n && rest->s[t.n] != sep)
		t.n++;
	rest->s += t.n;
	rest->n -= t.n;
	if (rest->n) {		/* skip the separator */
		rest->s++;
		rest->n--;
	}
	return t;
}

/* Strict decimal, 1..10 digits, value <= max. */
static bool parse_uint(struct tok t, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (!t.n || t.n > 10)
		return false;
	for (i = 0; i < t.n; i++) {
		if (t.s[i] < '0' || t.s[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(t.s[i] - '0');
	}
	if (v > max)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* A.B.C.D[/LEN] -> network-order address and mask; the address is masked. */
static bool parse_prefix(struct tok t, uint32_t *addr, uint32_t *mask)
{
	struct tok rest = t, ip = tok_next(&rest, '/');
	uint32_t a = 0, octet, len = 32;
	int i;

	if (ip.n < t.n && !parse_uint(rest, 32, &len))
		return false;
	for (i = 0; i < 4; i++) {
		struct tok o = tok_next(&ip, '.');

		if (o.n > 3 || !parse_uint(o, 255, &octet))
			return false;
		a = a << 8 | octet;
	}
	if (ip.n || ip.s[-1] == '.')
		return false;
	*mask = htonl(len ? 0xffffffffu << (32 - len) : 0);
	*addr = htonl(a) & *mask;
	return true;
}

static bool parse_ports(struct tok t, uint16_t *lo, uint16_t *hi)
{
	struct tok rest = t, a = tok_next(&rest, '-');
	uint32_t l, h;

	if (!parse_uint(a, 65535, &l) || l == 0)
		return false;
	h = l;
	if (a.n < t.n && (!parse_uint(rest, 65535, &h) || h < l))
		return false;
	*lo = (uint16_t)l;
	*hi = (uint16_t)h;
	return true;
}

static int parse_chain(struct tok t)
{
	int h;

	for (h = 0; h < NF_INET_NUMHOOKS; h++)
		if (tok_is(t, chain_names[h]))
			return h;
	return -1;
}

static int parse_verdict(struct tok t)
{
	if (tok_is(t, "accept"))
		return NF_ACCEPT;
	if (tok_is(t, "drop"))
		return NF_DROP;
	return -1;
}

static bool parse_ifname(struct tok t, char *out)
{
	if (!t.n || t.n >= IFNAMSIZ)
		return false;
	memcpy(out, t.s, t.n);
	out[t.n] = '\0';
	return true;
}

/* One MATCH into r; NULL on success or a description of the problem. */
static const char *parse_match(struct tok m, struct nf_rule *r)
{
	struct tok val = m, key = tok_next(&val, '=');
	bool has_val = key.n < m.n;
	uint8_t bit;
	bool ok;
	uint32_t v;

	if (tok_is(m, "tcp") || tok_is(m, "udp") || tok_is(m, "icmp")) {
		bit = NF_MATCH_PROTO;
		r->proto = m.s[0] == 't' ? IPPROTO_TCP : m.s[0] == 'u' ? IPPROTO_UDP : IPPROTO_ICMP;
		ok = true;
	} else if (!has_val) {
		return "unknown match";
	} else if (tok_is(key, "proto")) {
		bit = NF_MATCH_PROTO;
		ok = parse_uint(val, 255, &v);
		r->proto = (uint8_t)v;
	} else if (tok_is(key, "src")) {
		bit = NF_MATCH_SRC;
		ok = parse_prefix(val, &r->src, &r->src_mask);
	} else if (tok_is(key, "dst")) {
		bit = NF_MATCH_DST;
		ok = parse_prefix(val, &r->dst, &r->dst_mask);
	} else if (tok_is(key, "sport")) {
		bit = NF_MATCH_SPORT;
		ok = parse_ports(val, &r->sport_lo, &r->sport_hi);
	} else if (tok_is(key, "dport")) {
		bit = NF_MATCH_DPORT;
		ok = parse_ports(val, &r->dport_lo, &r->dport_hi);
	} else if (tok_is(key, "iif")) {
		bit = NF_MATCH_IIF;
		ok = parse_ifname(val, r->iif);
	} else if (tok_is(key, "oif")) {
		bit = NF_MATCH_OIF;
		ok = parse_ifname(val, r->oif);
	} else {
		return "unknown match";
	}
	if (!ok)
		return "bad value in";
	if (r->match & bit)
		return "repeated test";
	r->match |= bit;
	return NULL;
}

/* One ITEM into the staging area; NULL or (problem, *bad = culprit). */
static const char *parse_item(struct tok item, struct nf_staged *st, struct tok *bad)
{
	struct tok rest = item, first = tok_next(&rest, ':'), ch = tok_next(&rest, ':');
	struct nf_rule r = { 0 };
	int hook = parse_chain(ch), verdict;
	const char *why;

	*bad = item;
	if (item.s[item.n - 1] == ':')
		return "trailing ':' in";
	*bad = hook < 0 ? ch : first;
	if (hook < 0)
		return "unknown chain";
	if (tok_is(first, "policy")) {
		*bad = rest;
		verdict = parse_verdict(rest);
		if (verdict < 0)
			return "policy needs accept or drop, got";
		st->policy[hook] = verdict;
		return NULL;
	}
	verdict = parse_verdict(first);
	if (verdict < 0)
		return "unknown verdict";
	r.hook = (uint8_t)hook;
	r.verdict = (uint8_t)verdict;
	while (rest.n) {
		*bad = tok_next(&rest, ':');
		why = parse_match(*bad, &r);
		if (why)
			return why;
	}
	*bad = item;
	if ((r.match & (NF_MATCH_SPORT | NF_MATCH_DPORT)) &&
	    (!(r.match & NF_MATCH_PROTO) || (r.proto != IPPROTO_TCP && r.proto != IPPROTO_UDP)))
		return "port test without tcp or udp in";
	if (st->nrules + nf_rule_count() >= NF_MAX_RULES)
		return "too many rules at";
	st->rules[st->nrules++] = r;
	return NULL;
}

int nf_parse_rules(const char *spec, char *err, size_t errlen)
{
	static struct nf_staged st;
	struct tok rest = { spec, strlen(spec) }, item, bad;
	const char *why;
	unsigned int i, n = 0;
	int h;

	if (rest.n && spec[rest.n - 1] == ',') {
		ksnprintf(err, errlen, "trailing ',' in '%s'", spec);
		return -EINVAL;
	}

	memset(&st, 0, sizeof(st));
	for (h = 0; h < NF_INET_NUMHOOKS; h++)
		st.policy[h] = -1;
	do {
		item = tok_next(&rest, ',');
		n++;
		why = item.n ? parse_item(item, &st, &bad) : "empty item";
		if (why) {
			if (!item.n)
				bad = item;
			ksnprintf(err, errlen, "item %u '%.*s': %s '%.*s'", n, (int)item.n,
				  item.s, why, (int)bad.n, bad.s);
			return -EINVAL;
		}
	} while (rest.n);
	for (i = 0; i < st.nrules; i++)
		nf_rule_add(&st.rules[i]);
	for (h = 0; h < NF_INET_NUMHOOKS; h++)
		if (st.policy[h] >= 0)
			nf_set_policy((unsigned int)h, (unsigned int)st.policy[h]);
	if (errlen)
		err[0] = '\0';
	return 0;
}

/* Masks are contiguous (parse_prefix builds them): count leading ones. */
static int prefix_len(uint32_t mask)
{
	uint32_t m = ntohl(mask);
	int n = 0;

	while (m & 0x80000000u) {
		m <<= 1;
		n++;
	}
	return n;
}

static const char *proto_name(uint8_t proto)
{
	switch (proto) {
	case IPPROTO_TCP: return "tcp";
	case IPPROTO_UDP: return "udp";
	case IPPROTO_ICMP: return "icmp";
	default: return NULL;
	}
}

/* Appends to buf at *pos like snprintf, keeping the would-be length. */
static void emit(char *buf, size_t len, int *pos, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void emit(char *buf, size_t len, int *pos, const char *fmt, ...)
{
	size_t at = (size_t)*pos < len ? (size_t)*pos : len;
	va_list ap;

	va_start(ap, fmt);
	*pos += kvsnprintf(buf + at, len - at, fmt, ap);
	va_end(ap);
}

static void emit_addr(char *buf, size_t len, int *pos, const char *key,
		      uint32_t addr, uint32_t mask)
{
	const uint8_t *a = (const uint8_t *)&addr;

	emit(buf, len, pos, ":%s=%u.%u.%u.%u/%d", key, a[0], a[1], a[2], a[3],
	     prefix_len(mask));
}

static void emit_ports(char *buf, size_t len, int *pos, const char *key,
		       uint16_t lo, uint16_t hi)
{
	if (lo == hi)
		emit(buf, len, pos, ":%s=%u", key, lo);
	else
		emit(buf, len, pos, ":%s=%u-%u", key, lo, hi);
}

int nf_rule_format(const struct nf_rule *r, char *buf, size_t len)
{
	int pos = 0;

	emit(buf, len, &pos, "%s:%s", r->verdict == NF_ACCEPT ? "accept" : "drop",
	     chain_names[r->hook]);
	if (r->match & NF_MATCH_PROTO) {
		if (proto_name(r->proto))
			emit(buf, len, &pos, ":%s", proto_name(r->proto));
		else
			emit(buf, len, &pos, ":proto=%u", r->proto);
	}
	if (r->match & NF_MATCH_SRC)
		emit_addr(buf, len, &pos, "src", r->src, r->src_mask);
	if (r->match & NF_MATCH_DST)
		emit_addr(buf, len, &pos, "dst", r->dst, r->dst_mask);
	if (r->match & NF_MATCH_SPORT)
		emit_ports(buf, len, &pos, "sport", r->sport_lo, r->sport_hi);
	if (r->match & NF_MATCH_DPORT)
		emit_ports(buf, len, &pos, "dport", r->dport_lo, r->dport_hi);
	if (r->match & NF_MATCH_IIF)
		emit(buf, len, &pos, ":iif=%s", r->iif);
	if (r->match & NF_MATCH_OIF)
		emit(buf, len, &pos, ":oif=%s", r->oif);
	return pos;
}
