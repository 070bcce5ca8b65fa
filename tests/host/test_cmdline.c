/* Command-line parser: grammar, error reports, bounds, value parsers. */
#include <stdint.h>

#include "kernel/errno.h"
#include "kernel/lib/cmdline.h"
#include "tests/host/check.h"

static struct cmdline cl;

/* Errors seen by the callback, in order, with the offending raw token. */
static struct {
	int n;
	enum cmdline_error err[8];
	char token[8][64];
} seen;

static void record(enum cmdline_error err, const char *token, size_t len, void *arg)
{
	(void)arg;
	if (seen.n < 8) {
		seen.err[seen.n] = err;
		snprintf(seen.token[seen.n], sizeof(seen.token[0]), "%.*s", (int)len, token);
	}
	seen.n++;
}

static int parse(const char *s)
{
	seen.n = 0;
	return cmdline_parse(&cl, s, record, NULL);
}

static const char *get(const char *key)
{
	const struct cmdline_param *p = cmdline_find(&cl, key);
	return p ? p->value : NULL;
}

static void test_basic(void)
{
	CHECK_EQ(parse("console=serial loglevel=7 quiet"), 0);
	CHECK_EQ(cl.count, 3);
	CHECK_STR(get("console"), "serial");
	CHECK_STR(get("loglevel"), "7");
	CHECK_STR(get("quiet"), "");
	CHECK(!cmdline_find(&cl, "quiet")->has_value);
	CHECK(cmdline_find(&cl, "console")->has_value);
	CHECK(get("absent") == NULL);
	CHECK_STR(cl.params[0].key, "console");
	CHECK_STR(cl.params[2].key, "quiet");
}

static void test_empty_and_blanks(void)
{
	CHECK_EQ(cmdline_parse(&cl, NULL, NULL, NULL), 0);
	CHECK_EQ(cl.count, 0);
	CHECK_EQ(parse(""), 0);
	CHECK_EQ(cl.count, 0);
	CHECK_EQ(parse(" \t\r\n "), 0);
	CHECK_EQ(cl.count, 0);
	CHECK_EQ(parse("  a=1 \t\t b=2\n\nc  "), 0);
	CHECK_EQ(cl.count, 3);
	CHECK_STR(get("a"), "1");
	CHECK_STR(get("b"), "2");
	CHECK_STR(get("c"), "");
}

static void test_empty_value(void)
{
	CHECK_EQ(parse("pcap= x=\"\""), 0);
	CHECK_STR(get("pcap"), "");
	CHECK(cmdline_find(&cl, "pcap")->has_value);
	CHECK_STR(get("x"), "");
}

static void test_repeated_last_wins(void)
{
	CHECK_EQ(parse("ip=1.2.3.4/8 gw=1.1.1.1 ip=10.0.0.2/24 ip"), 0);
	CHECK_EQ(cl.count, 2);
	CHECK_STR(cl.params[0].key, "ip");
	CHECK_STR(get("ip"), "");
	CHECK(!cmdline_find(&cl, "ip")->has_value);
	CHECK_EQ(parse("k=1 k=2 k=3"), 0);
	CHECK_EQ(cl.count, 1);
	CHECK_STR(get("k"), "3");
}

static void test_quotes(void)
{
	CHECK_EQ(parse("name=\"a b  c\" \"x=1 2\" y=\"\"z mid=a\"=\"b"), 0);
	CHECK_STR(get("name"), "a b  c");
	CHECK_STR(get("x"), "1 2");
	CHECK_STR(get("y"), "z");
	CHECK_STR(get("mid"), "a=b");
	CHECK_EQ(parse("q=\"tab\there\""), 0);
	CHECK_STR(get("q"), "tab\there");
	CHECK_EQ(parse("eq=a=b=c"), 0);
	CHECK_STR(get("eq"), "a=b=c");
}

static void test_errors(void)
{
	CHECK_EQ(parse("=v good=1 \"\" b@d=2 a=\"open end"), 4);
	CHECK_EQ(seen.n, 4);
	CHECK_EQ(seen.err[0], CMDLINE_EMPTY_KEY);
	CHECK_STR(seen.token[0], "=v");
	CHECK_EQ(seen.err[1], CMDLINE_EMPTY_KEY);
	CHECK_STR(seen.token[1], "\"\"");
	CHECK_EQ(seen.err[2], CMDLINE_BAD_KEY);
	CHECK_STR(seen.token[2], "b@d=2");
	CHECK_EQ(seen.err[3], CMDLINE_UNTERMINATED_QUOTE);
	CHECK_STR(seen.token[3], "a=\"open end");
	CHECK_EQ(cl.count, 1);
	CHECK_STR(get("good"), "1");
	CHECK(get("a") == NULL);
	/* A NULL callback still counts and skips. */
	CHECK_EQ(cmdline_parse(&cl, "=x ok", NULL, NULL), 1);
	CHECK_STR(get("ok"), "");
	for (int e = CMDLINE_EMPTY_KEY; e <= CMDLINE_TOO_MANY; e++)
		CHECK(strcmp(cmdline_strerror((enum cmdline_error)e), "unknown error"));
}

static void test_lengths(void)
{
	char buf[1024], key[CMDLINE_KEY_MAX + 1], val[CMDLINE_VALUE_MAX + 1];

	memset(key, 'k', sizeof(key));
	key[CMDLINE_KEY_MAX - 1] = '\0';	/* the longest that fits */
	memset(val, 'v', sizeof(val));
	val[CMDLINE_VALUE_MAX - 1] = '\0';
	snprintf(buf, sizeof(buf), "%s=%s", key, val);
	CHECK_EQ(parse(buf), 0);
	CHECK_STR(get(key), val);

	key[CMDLINE_KEY_MAX - 1] = 'k';
	key[CMDLINE_KEY_MAX] = '\0';		/* one too long */
	snprintf(buf, sizeof(buf), "%s=1 after", key);
	CHECK_EQ(parse(buf), 1);
	CHECK_EQ(seen.err[0], CMDLINE_KEY_TOO_LONG);
	CHECK_EQ(cl.count, 1);
	CHECK_STR(get("after"), "");

	val[CMDLINE_VALUE_MAX - 1] = 'v';
	val[CMDLINE_VALUE_MAX] = '\0';
	snprintf(buf, sizeof(buf), "before x=%s", val);
	CHECK_EQ(parse(buf), 1);
	CHECK_EQ(seen.err[0], CMDLINE_VALUE_TOO_LONG);
	CHECK_EQ(cl.count, 1);
	CHECK(get("x") == NULL);
}

static void test_too_many(void)
{
	char buf[1024];
	size_t n = 0;

	for (int i = 0; i < CMDLINE_PARAMS_MAX + 2; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "p%d=%d ", i, i);
	/* Overwriting an existing key still works with the table full. */
	snprintf(buf + n, sizeof(buf) - n, "p0=last");
	CHECK_EQ(parse(buf), 2);
	CHECK_EQ(seen.err[0], CMDLINE_TOO_MANY);
	CHECK_STR(seen.token[0], "p32=32");
	CHECK_EQ(seen.err[1], CMDLINE_TOO_MANY);
	CHECK_EQ(cl.count, CMDLINE_PARAMS_MAX);
	CHECK_STR(get("p0"), "last");
	CHECK_STR(get("p31"), "31");
	CHECK(get("p32") == NULL);
}

static void test_remove(void)
{
	CHECK_EQ(parse("a=1 b=2 c=3"), 0);
	cmdline_remove(&cl, "b");
	cmdline_remove(&cl, "nope");
	CHECK_EQ(cl.count, 2);
	CHECK_STR(cl.params[0].key, "a");
	CHECK_STR(cl.params[1].key, "c");
	cmdline_remove(&cl, "c");
	CHECK_EQ(cl.count, 1);
	CHECK(get("c") == NULL);
}

static void test_uint(void)
{
	uint64_t v = 99;

	CHECK_EQ(cmdline_parse_uint("0", 7, &v), 0);
	CHECK_EQ(v, 0);
	CHECK_EQ(cmdline_parse_uint("7", 7, &v), 0);
	CHECK_EQ(v, 7);
	CHECK_EQ(cmdline_parse_uint("8", 7, &v), -ERANGE);
	CHECK_EQ(cmdline_parse_uint("", 7, &v), -EINVAL);
	CHECK_EQ(cmdline_parse_uint("-1", 7, &v), -EINVAL);
	CHECK_EQ(cmdline_parse_uint("3x", 7, &v), -EINVAL);
	CHECK_EQ(cmdline_parse_uint("18446744073709551615", UINT64_MAX, &v), 0);
	CHECK(v == UINT64_MAX);
	CHECK_EQ(cmdline_parse_uint("18446744073709551616", UINT64_MAX, &v), -ERANGE);
}

static void test_ipv4(void)
{
	uint32_t a = 0;
	unsigned p = 99;

	CHECK_EQ(cmdline_parse_ipv4("198.18.0.2", &a), 0);
	CHECK_EQ(a, 0xc6120002u);
	CHECK_EQ(cmdline_parse_ipv4("0.0.0.0", &a), 0);
	CHECK_EQ(a, 0);
	CHECK_EQ(cmdline_parse_ipv4("255.255.255.255", &a), 0);
	CHECK_EQ(a, 0xffffffffu);
	CHECK_EQ(cmdline_parse_ipv4("256.1.1.1", &a), -EINVAL);
	CHECK_EQ(cmdline_parse_ipv4("1.2.3", &a), -EINVAL);
	CHECK_EQ(cmdline_parse_ipv4("1.2.3.4.5", &a), -EINVAL);
	CHECK_EQ(cmdline_parse_ipv4("1..3.4", &a), -EINVAL);
	CHECK_EQ(cmdline_parse_ipv4("01.2.3.4", &a), -EINVAL);
	CHECK_EQ(cmdline_parse_ipv4("1.2.3.4 ", &a), -EINVAL);
	CHECK_EQ(cmdline_parse_ipv4("", &a), -EINVAL);

	CHECK_EQ(cmdline_parse_ipv4_prefix("10.0.2.15/24", &a, &p), 0);
	CHECK_EQ(a, 0x0a00020fu);
	CHECK_EQ(p, 24);
	CHECK_EQ(cmdline_parse_ipv4_prefix("0.0.0.0/0", &a, &p), 0);
	CHECK_EQ(p, 0);
	CHECK_EQ(cmdline_parse_ipv4_prefix("1.2.3.4/32", &a, &p), 0);
	CHECK_EQ(p, 32);
	CHECK_EQ(cmdline_parse_ipv4_prefix("1.2.3.4/33", &a, &p), -EINVAL);
	CHECK_EQ(cmdline_parse_ipv4_prefix("1.2.3.4/", &a, &p), -EINVAL);
	CHECK_EQ(cmdline_parse_ipv4_prefix("1.2.3.4/024", &a, &p), -EINVAL);
	CHECK_EQ(cmdline_parse_ipv4_prefix("1.2.3.4", &a, &p), -EINVAL);
	CHECK_EQ(cmdline_parse_ipv4_prefix("1.2.3.4/2x", &a, &p), -EINVAL);
}

int main(void)
{
	test_basic();
	test_empty_and_blanks();
	test_empty_value();
	test_repeated_last_wins();
	test_quotes();
	test_errors();
	test_lengths();
	test_too_many();
	test_remove();
	test_uint();
	test_ipv4();
	return check_report();
}
