/*
 * test=connect: the guest-side client.  With `test=connect peer=A.B.C.D:PORT`
 * a kernel thread connects to a server on the host side through the socket
 * API (an ephemeral port chosen like inet_hash_connect), sends one line,
 * reads it back from an echoing peer and prints
 *     connect-test: ok local=... peer=... bytes=N
 * or "connect-test: FAIL <step> <errno>".  tests/qemu/guest_connect.sh
 * runs it against socat in the test's namespace.
 *
 * Context: a kernel thread (blocking socket calls).
 */
#include "kernel/errno.h"
#include "kernel/initcall.h"
#include "kernel/lib/cmdline.h"
#include "kernel/lib/string.h"
#include "kernel/params.h"
#include "kernel/printk.h"
#include "kernel/sched/sched.h"
#include "net/core/byteorder.h"
#include "net/core/sock.h"
#include "net/socket.h"

#define CONNECT_TEST_TIMEOUT_NS	(10 * NSEC_PER_SEC)

static const char connect_test_line[] = "synack guest-side connect test\n";

/* "A.B.C.D:PORT" into a sockaddr_in; -EINVAL if malformed. */
static int parse_peer(const char *s, struct sockaddr_in *sin)
{
	char addr[16];
	const char *colon = strchr(s, ':');
	uint32_t a;
	uint64_t port;

	if (!colon || (size_t)(colon - s) >= sizeof(addr))
		return -EINVAL;
	memcpy(addr, s, (size_t)(colon - s));
	addr[colon - s] = '\0';
	if (cmdline_parse_ipv4(addr, &a) || cmdline_parse_uint(colon + 1, 65535, &port) || !port)
		return -EINVAL;
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons((uint16_t)port);
	sin->sin_addr.s_addr = htonl(a);
	return 0;
}

/* Sends the line and reads the same number of bytes back; bytes or -errno. */
static long echo_exchange(int fd)
{
	char buf[sizeof(connect_test_line)];
	size_t len = sizeof(connect_test_line) - 1, got = 0;
	long n = sys_write(fd, connect_test_line, len);

	if (n != (long)len)
		return n < 0 ? n : -EIO;
	while (got < len) {
		n = sys_read(fd, buf + got, len - got);
		if (n <= 0)
			return n < 0 ? n : -ECONNRESET;
		got += (size_t)n;
	}
	return memcmp(buf, connect_test_line, len) ? -EBADMSG : (long)got;
}

static void connect_test_thread(void *arg)
{
	struct sockaddr_in peer = *(struct sockaddr_in *)arg, local;
	socklen_t llen = sizeof(local);
	uint64_t timeout = CONNECT_TEST_TIMEOUT_NS;
	int fd = sys_socket(AF_INET, SOCK_STREAM, 0);
	long n;

	if (fd < 0) {
		printk(LOG_ERR, "connect-test: FAIL socket %d\n", fd);
		return;
	}
	sys_setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
	sys_setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
	n = sys_connect(fd, (const struct sockaddr *)&peer, sizeof(peer));
	if (n == 0)
		n = sys_getsockname(fd, (struct sockaddr *)&local, &llen);
	if (n == 0)
		n = echo_exchange(fd);
	if (n < 0) {
		printk(LOG_ERR, "connect-test: FAIL %ld\n", n);
	} else {
		uint32_t la = ntohl(local.sin_addr.s_addr), pa = ntohl(peer.sin_addr.s_addr);

		printk(LOG_ERR, "connect-test: ok local=%u.%u.%u.%u:%u peer=%u.%u.%u.%u:%u bytes=%ld\n",
		       la >> 24, (la >> 16) & 255, (la >> 8) & 255, la & 255, ntohs(local.sin_port),
		       pa >> 24, (pa >> 16) & 255, (pa >> 8) & 255, pa & 255, ntohs(peer.sin_port), n);
	}
	sys_close(fd);
}

static struct sockaddr_in connect_test_peer;

static int connect_test_init(void)
{
	const char *peer = param_get("peer");

	if (!param_is("test", "connect"))
		return 0;
	if (!peer || parse_peer(peer, &connect_test_peer)) {
		pr_err("connect-test: FAIL needs peer=A.B.C.D:PORT\n");
		return -EINVAL;
	}
	return kthread_create("connect-test", connect_test_thread, &connect_test_peer) ? 0 : -ENOMEM;
}
late_initcall(connect_test_init);
