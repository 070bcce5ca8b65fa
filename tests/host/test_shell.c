/* Console shell, pure parts: line editing, tokenizer, command dispatch
 * through nested tables, route argument validation, formatters. */
#include <stdint.h>

#include "kernel/errno.h"
#include "kernel/shell/shell_line.h"
#include "kernel/shell/shell_parse.h"
#include "net/core/netdevice.h"
#include "tests/host/check.h"

/* Feeds s byte by byte; returns the last event, the echo collected. */
static enum shell_line_event feed(struct shell_line *l, const char *s, size_t n, char *echo_out)
{
	enum shell_line_event ev = SHELL_LINE_MORE;
	size_t off = 0;

	for (size_t i = 0; i < n; i++) {
		char echo[SHELL_ECHO_MAX];
		size_t len;

		ev = shell_line_feed(l, (unsigned char)s[i], echo, &len);
		memcpy(echo_out + off, echo, len);
		off += len;
	}
	echo_out[off] = '\0';
	return ev;
}

static void test_line_editing(void)
{
	struct shell_line l = { .len = 0 };
	char echo[1024];

	shell_line_reset(&l);
	CHECK_EQ(feed(&l, "ip adx\x7f" "dr\r", 10, echo), SHELL_LINE_DONE);
	CHECK_STR(l.buf, "ip addr");
	CHECK_STR(echo, "ip adx\b \bdr\n");

	/* CR LF is one Enter: the LF must not finish an empty second line,
	 * even though the caller resets the editor between the two bytes. */
	shell_line_reset(&l);
	CHECK_EQ(feed(&l, "\n", 1, echo), SHELL_LINE_MORE);
	CHECK_EQ(l.len, 0);
	CHECK_EQ(feed(&l, "x\n", 2, echo), SHELL_LINE_DONE);
	CHECK_STR(l.buf, "x");
	/* A lone LF (or CR) is Enter too: an empty line. */
	shell_line_reset(&l);
	CHECK_EQ(feed(&l, "\n", 1, echo), SHELL_LINE_DONE);
	CHECK_STR(l.buf, "");

	/* Backspace on an empty line echoes nothing; tab is a space. */
	shell_line_reset(&l);
	CHECK_EQ(feed(&l, "\b\ta", 3, echo), SHELL_LINE_MORE);
	CHECK_STR(echo, " a");

	/* Cursor keys and other escape sequences vanish without echo. */
	shell_line_reset(&l);
	CHECK_EQ(feed(&l, "a\x1b[A\x1b[1;5Cb\x1bOPc", 15, echo), SHELL_LINE_MORE);
	CHECK_EQ(l.len, 3);
	CHECK(!memcmp(l.buf, "abc", 3));
	CHECK_STR(echo, "abc");

	/* Ctrl-C abandons the line; control bytes and 8-bit bytes are ignored. */
	shell_line_reset(&l);
	CHECK_EQ(feed(&l, "reboot\x03", 7, echo), SHELL_LINE_CANCEL);
	CHECK_EQ(l.len, 0);
	CHECK_EQ(feed(&l, "\x01\x80\xff", 3, echo), SHELL_LINE_MORE);
	CHECK_EQ(l.len, 0);
	CHECK_STR(echo, "");
}

static void test_line_full(void)
{
	struct shell_line l = { .len = 0 };
	char echo[SHELL_ECHO_MAX];
	size_t len;

	shell_line_reset(&l);
	for (int i = 0; i < SHELL_LINE_MAX + 10; i++)
		shell_line_feed(&l, 'x', echo, &len);
	CHECK_EQ(l.len, SHELL_LINE_MAX - 1);
	CHECK_EQ(len, 1);
	CHECK_EQ(echo[0], '\a');
	CHECK_EQ(shell_line_feed(&l, '\r', echo, &len), SHELL_LINE_DONE);
	CHECK_EQ(strlen(l.buf), SHELL_LINE_MAX - 1);
}

static void test_tokenize(void)
{
	char line[] = "  ip \t route   add 10.9.0.0/16  ";
	char many[] = "a b c d";
	char empty[] = " \t ";
	char *argv[4];

	CHECK_EQ(shell_tokenize(line, argv, 4), 4);
	CHECK_STR(argv[0], "ip");
	CHECK_STR(argv[1], "route");
	CHECK_STR(argv[2], "add");
	CHECK_STR(argv[3], "10.9.0.0/16");
	CHECK_EQ(shell_tokenize(many, argv, 3), -E2BIG);
	CHECK_EQ(shell_tokenize(empty, argv, 4), 0);
}

/* A miniature command tree: the recorder notes what ran with what. */
static struct { const char *who; int argc; const char *arg0; } ran;

static int rec_run(const char *who, int argc, char **argv)
{
	ran.who = who;
	ran.argc = argc;
	ran.arg0 = argc ? argv[0] : NULL;
	return 0;
}
static int run_show(int argc, char **argv) { return rec_run("show", argc, argv); }
static int run_add(int argc, char **argv)
{
	return argc == 0 ? -EINVAL : rec_run("add", argc, argv);
}
static int run_help(int argc, char **argv) { return rec_run("help", argc, argv); }

static const struct shell_cmd t_route[] = {
	{ .name = "show", .alias = "list", .args = "", .help = "", .run = run_show },
	{ .name = "add", .args = "PREFIX", .help = "", .run = run_add },
	{ .name = NULL },
};
static const struct shell_cmd t_ip[] = {
	{ .name = "addr", .sub = t_route, .sub_default = true },
	{ .name = "route", .sub = t_route, .sub_default = true },
	{ .name = NULL },
};
static const struct shell_cmd t_top[] = {
	{ .name = "help", .args = "", .help = "", .run = run_help },
	{ .name = "ip", .sub = t_ip },
	{ .name = NULL },
};

static int dispatch(const char *cmd, struct shell_match *m)
{
	static char line[128];
	char *argv[SHELL_MAX_ARGS];
	int argc;

	strcpy(line, cmd);
	argc = shell_tokenize(line, argv, SHELL_MAX_ARGS);
	memset(&ran, 0, sizeof(ran));
	return shell_dispatch(t_top, argc, argv, m);
}

static void test_dispatch(void)
{
	struct shell_match m;

	CHECK_EQ(dispatch("help", &m), 0);
	CHECK_STR(ran.who, "help");
	CHECK_EQ(ran.argc, 0);

	/* Top level is exact; below it abbreviations pick the first match. */
	CHECK_EQ(dispatch("hel", &m), -ENOENT);
	CHECK_EQ(m.depth, 0);
	CHECK_EQ(dispatch("ip r a 10.0.0.0/8", &m), 0);
	CHECK_STR(ran.who, "add");
	CHECK_EQ(ran.argc, 1);
	CHECK_STR(ran.arg0, "10.0.0.0/8");
	CHECK_EQ(m.depth, 3);
	CHECK_STR(m.path[1]->name, "route");
	CHECK_EQ(dispatch("ip a", &m), 0);
	CHECK_STR(m.path[1]->name, "addr");

	/* A group with a default runs its first entry; aliases work. */
	CHECK_EQ(dispatch("ip route", &m), 0);
	CHECK_STR(ran.who, "show");
	CHECK_EQ(dispatch("ip route list", &m), 0);
	CHECK_STR(ran.who, "show");

	/* Usage errors name the entry whose usage applies, and run nothing. */
	CHECK_EQ(dispatch("ip", &m), -EINVAL);
	CHECK_EQ(m.depth, 1);
	CHECK(ran.who == NULL);
	CHECK_EQ(dispatch("ip frobnicate", &m), -EINVAL);
	CHECK_STR(m.path[m.depth - 1]->name, "ip");
	CHECK_EQ(dispatch("ip route add", &m), -EINVAL);
	CHECK_STR(m.path[m.depth - 1]->name, "add");
	CHECK(ran.who == NULL);
	CHECK_EQ(dispatch("", &m), -ENOENT);
}

static void test_prefix(void)
{
	uint32_t dst;
	unsigned int plen;

	CHECK_EQ(shell_parse_prefix("default", &dst, &plen), 0);
	CHECK_EQ(dst, 0);
	CHECK_EQ(plen, 0);
	CHECK_EQ(shell_parse_prefix("10.9.0.0/16", &dst, &plen), 0);
	CHECK_EQ(dst, 0x0a090000);
	CHECK_EQ(plen, 16);
	CHECK_EQ(shell_parse_prefix("198.18.0.7", &dst, &plen), 0);
	CHECK_EQ(plen, 32);
	CHECK_EQ(shell_parse_prefix("10.9.1.0/16", &dst, &plen), -EINVAL);	/* host bits */
	CHECK_EQ(shell_parse_prefix("10.9.0.0/33", &dst, &plen), -EINVAL);
	CHECK_EQ(shell_parse_prefix("10.9.0/16", &dst, &plen), -EINVAL);
	CHECK_EQ(shell_parse_prefix("", &dst, &plen), -EINVAL);
}

static int route(const char *spec, bool add, struct shell_route_args *ra)
{
	static char line[128];
	char *argv[SHELL_MAX_ARGS];
	int argc;

	strcpy(line, spec);
	argc = shell_tokenize(line, argv, SHELL_MAX_ARGS);
	return shell_parse_route(argc, argv, add, ra);
}

static void test_route_args(void)
{
	struct shell_route_args ra;

	CHECK_EQ(route("10.9.0.0/16 via 198.18.0.254", true, &ra), 0);
	CHECK_EQ(ra.dst, 0x0a090000);
	CHECK_EQ(ra.plen, 16);
	CHECK_EQ(ra.gw, 0xc61200fe);
	CHECK_STR(ra.dev, "");
	CHECK(!ra.has_metric);
	CHECK_EQ(route("default via 10.0.2.2 dev eth0 metric 100", true, &ra), 0);
	CHECK_EQ(ra.plen, 0);
	CHECK_STR(ra.dev, "eth0");
	CHECK(ra.has_metric);
	CHECK_EQ(ra.metric, 100);
	CHECK_EQ(route("192.0.2.0/24 dev eth0", true, &ra), 0);
	CHECK_EQ(ra.gw, 0);

	/* add needs a next hop; del does not. */
	CHECK_EQ(route("10.9.0.0/16", true, &ra), -EINVAL);
	CHECK_EQ(route("10.9.0.0/16", false, &ra), 0);

	CHECK_EQ(route("", true, &ra), -EINVAL);
	CHECK_EQ(route("10.9.0.0/16 via", true, &ra), -EINVAL);
	CHECK_EQ(route("10.9.0.0/16 via 1.2.3.4 via 1.2.3.5", true, &ra), -EINVAL);
	CHECK_EQ(route("10.9.0.0/16 via 0.0.0.0", true, &ra), -EINVAL);
	CHECK_EQ(route("10.9.0.0/16 via 1.2.3", true, &ra), -EINVAL);
	CHECK_EQ(route("10.9.0.0/16 gw 1.2.3.4", true, &ra), -EINVAL);
	CHECK_EQ(route("10.9.0.0/16 dev averyveryverylongname", true, &ra), -EINVAL);
	CHECK_EQ(route("10.9.0.0/16 dev eth0 metric -1", true, &ra), -EINVAL);
	CHECK_EQ(route("10.9.0.0/16 dev eth0 metric 4294967296", true, &ra), -EINVAL);
}

static void test_format(void)
{
	char buf[64];

	CHECK_STR(shell_format_ipv4(buf, 0xc6120002), "198.18.0.2");
	CHECK_STR(shell_format_ipv4(buf, 0xffffffff), "255.255.255.255");
	CHECK_EQ(shell_format_ifflags(buf, sizeof(buf), IFF_UP | IFF_BROADCAST | IFF_MULTICAST,
				      true), 33);
	CHECK_STR(buf, "<BROADCAST,MULTICAST,UP,LOWER_UP>");
	shell_format_ifflags(buf, sizeof(buf), IFF_LOOPBACK, false);
	CHECK_STR(buf, "<LOOPBACK>");
	shell_format_ifflags(buf, sizeof(buf), 0, false);
	CHECK_STR(buf, "<>");
	/* Cut short like snprintf: terminated, full length returned. */
	CHECK_EQ(shell_format_ifflags(buf, 8, IFF_UP | IFF_BROADCAST, true), 23);
	CHECK_STR(buf, "<BROADC");
	CHECK_STR(shell_strerror(-EEXIST), "already exists");
	CHECK_STR(shell_strerror(-12345), "error");
}

int main(void)
{
	test_line_editing();
	test_line_full();
	test_tokenize();
	test_dispatch();
	test_prefix();
	test_route_args();
	test_format();
	return check_report();
}
