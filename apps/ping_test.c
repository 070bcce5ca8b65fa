/*
 * test=ping: a guest-side ping over a raw socket.  With `test=ping
 * peer=A.B.C.D` a kernel thread opens socket(AF_INET, SOCK_RAW,
 * IPPROTO_ICMP) and, using only the socket API, sends PING_COUNT echo
 * requests (RFC 792: a random id, seq 1..N, 56 bytes of data, the ICMP
 * checksum computed here as on Linux), reads datagrams (IP header +
 * ICMP) until the reply with its id and seq and the same data comes from
 * the peer or PING_TIMEOUT passes, and prints one line per reply
 *     ping-test: 64 bytes from A.B.C.D: icmp_seq=1 ttl=64 time=0.812 ms
 * then the summary the QEMU test checks
 *     ping-test: done peer=A.B.C.D sent=5 received=5 lost=0 rtt min/avg/max=.../.../... ms
 * or "ping-test: FAIL <step> <errno>" when a socket call fails.
 * tests/qemu/guest_ping.sh runs it against the test namespace's host.
 *
 * Context: a kernel thread (blocking socket calls).
 */
#include "kernel/errno.h"
#include "kernel/initcall.h"
#include "kernel/lib/cmdline.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"
#include "kernel/params.h"
#include "kernel/printk.h"
#include "kernel/random.h"
#include "kernel/sched/sched.h"
#include "kernel/time.h"
#include "net/core/byteorder.h"
#include "net/core/sock.h"
#include "net/socket.h"

#define PING_COUNT	5
#define PING_DATA_LEN	56
#define PING_INTERVAL_NS	(200 * NSEC_PER_MSEC)
#define PING_TIMEOUT_NS	(5 * NSEC_PER_SEC)
#define ICMP_ECHOREPLY	0
#define ICMP_ECHO	8
#define ICMP_HLEN	8

struct ping_state {
	int fd;
	struct sockaddr_in peer;
	uint16_t id;
	unsigned int sent, received;
	uint64_t rtt_min_ns, rtt_max_ns, rtt_sum_ns;
};

/* RFC 1071: the 16-bit one's complement of the one's complement sum. */
static uint16_t ping_csum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void ping_build(const struct ping_state *ps, uint16_t seq, uint8_t *msg)
{
	uint16_t sum;

	memset(msg, 0, ICMP_HLEN);
	msg[0] = ICMP_ECHO;
	put_be16(msg + 4, ps->id);
	put_be16(msg + 6, seq);
	for (size_t i = 0; i < PING_DATA_LEN; i++)
		msg[ICMP_HLEN + i] = (uint8_t)(seq + i);
	sum = ping_csum(msg, ICMP_HLEN + PING_DATA_LEN);
	put_be16(msg + 2, sum);
}

/* True if the datagram (IP header + ICMP) of n bytes from `from` is the
 * reply to the request req with seq. */
static bool ping_is_reply(const struct ping_state *ps, const uint8_t *dgram, long n,
			  const struct sockaddr_in *from, const uint8_t *req, uint16_t seq)
{
	size_t ihl = (size_t)(dgram[0] & 15) * 4;
	const uint8_t *icmp = dgram + ihl;

	if (n < 20 || (size_t)n < ihl + ICMP_HLEN + PING_DATA_LEN ||
	    from->sin_addr.s_addr != ps->peer.sin_addr.s_addr)
		return false;
	return icmp[0] == ICMP_ECHOREPLY && get_be16(icmp + 4) == ps->id &&
	       get_be16(icmp + 6) == seq && !ping_csum(icmp, (size_t)n - ihl) &&
	       !memcmp(icmp + ICMP_HLEN, req + ICMP_HLEN, PING_DATA_LEN);
}

static void ping_print_addr(char *buf, size_t len, uint32_t be_addr)
{
	uint32_t a = ntohl(be_addr);

	ksnprintf(buf, len, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

static void ping_record(struct ping_state *ps, const uint8_t *dgram, long n, uint16_t seq,
			uint64_t rtt_ns)
{
	char addr[16];

	ps->received++;
	ps->rtt_sum_ns += rtt_ns;
	if (!ps->rtt_min_ns || rtt_ns < ps->rtt_min_ns)
		ps->rtt_min_ns = rtt_ns;
	if (rtt_ns > ps->rtt_max_ns)
		ps->rtt_max_ns = rtt_ns;
	ping_print_addr(addr, sizeof(addr), ps->peer.sin_addr.s_addr);
	printk(LOG_ERR, "ping-test: %ld bytes from %s: icmp_seq=%u ttl=%u time=%llu.%03llu ms\n",
	       n - (long)(dgram[0] & 15) * 4, addr, seq, dgram[8],
	       (unsigned long long)(rtt_ns / NSEC_PER_MSEC),
	       (unsigned long long)(rtt_ns % NSEC_PER_MSEC / NSEC_PER_USEC));
}

/* One request and its reply; 0 (answered or timed out) or -errno. */
static int ping_once(struct ping_state *ps, uint16_t seq)
{
	uint8_t req[ICMP_HLEN + PING_DATA_LEN], dgram[512];
	uint64_t start = now_ns();
	long n;

	ping_build(ps, seq, req);
	n = sys_sendto(ps->fd, req, sizeof(req), 0, (const struct sockaddr *)&ps->peer,
		       sizeof(ps->peer));
	if (n < 0)
		return (int)n;
	ps->sent++;
	while (now_ns() - start < PING_TIMEOUT_NS) {
		struct sockaddr_in from;
		socklen_t flen = sizeof(from);

		n = sys_recvfrom(ps->fd, dgram, sizeof(dgram), 0, (struct sockaddr *)&from, &flen);
		if (n == -EAGAIN)
			break;
		if (n < 0)
			return (int)n;
		if (ping_is_reply(ps, dgram, n, &from, req, seq)) {
			ping_record(ps, dgram, n, seq, now_ns() - start);
			break;
		}
	}
	return 0;
}

static void ping_summary(const struct ping_state *ps)
{
	uint64_t avg = ps->received ? ps->rtt_sum_ns / ps->received : 0;
	char addr[16];

	ping_print_addr(addr, sizeof(addr), ps->peer.sin_addr.s_addr);
	printk(LOG_ERR, "ping-test: done peer=%s sent=%u received=%u lost=%u "
	       "rtt min/avg/max=%llu.%03llu/%llu.%03llu/%llu.%03llu ms\n",
	       addr, ps->sent, ps->received, ps->sent - ps->received,
	       (unsigned long long)(ps->rtt_min_ns / NSEC_PER_MSEC),
	       (unsigned long long)(ps->rtt_min_ns % NSEC_PER_MSEC / NSEC_PER_USEC),
	       (unsigned long long)(avg / NSEC_PER_MSEC),
	       (unsigned long long)(avg % NSEC_PER_MSEC / NSEC_PER_USEC),
	       (unsigned long long)(ps->rtt_max_ns / NSEC_PER_MSEC),
	       (unsigned long long)(ps->rtt_max_ns % NSEC_PER_MSEC / NSEC_PER_USEC));
}

static void ping_test_thread(void *arg)
{
	struct ping_state ps = { .peer = *(struct sockaddr_in *)arg };
	uint64_t timeo = PING_TIMEOUT_NS;
	int err;

	ps.id = (uint16_t)get_random_u32();
	ps.fd = sys_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	if (ps.fd < 0) {
		printk(LOG_ERR, "ping-test: FAIL socket %d\n", ps.fd);
		return;
	}
	err = sys_setsockopt(ps.fd, SOL_SOCKET, SO_RCVTIMEO, &timeo, sizeof(timeo));
	for (uint16_t seq = 1; !err && seq <= PING_COUNT; seq++) {
		err = ping_once(&ps, seq);
		if (!err && seq < PING_COUNT)
			sleep_ns(PING_INTERVAL_NS);
	}
	if (err)
		printk(LOG_ERR, "ping-test: FAIL send/recv %d\n", err);
	else
		ping_summary(&ps);
	sys_close(ps.fd);
}

static struct sockaddr_in ping_test_peer;

static int ping_test_init(void)
{
	const char *peer = param_get("peer");
	uint32_t a;

	if (!param_is("test", "ping"))
		return 0;
	if (!peer || cmdline_parse_ipv4(peer, &a)) {
		pr_err("ping-test: FAIL needs peer=A.B.C.D\n");
		return -EINVAL;
	}
	ping_test_peer.sin_family = AF_INET;
	ping_test_peer.sin_addr.s_addr = htonl(a);
	return kthread_create("ping-test", ping_test_thread, &ping_test_peer) ? 0 : -ENOMEM;
}
late_initcall(ping_test_init);
