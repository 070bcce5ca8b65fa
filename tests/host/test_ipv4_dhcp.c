/*
 * DHCP client against a scripted server, frames in and out of the fake
 * NIC, time on the fake clock: the full DISCOVER/OFFER/REQUEST/ACK
 * exchange and what BOUND configures, retransmission backoff (RFC 2131
 * §4.1), a REQUEST nobody answers, NAK handling, renewal at T1 (unicast)
 * and rebinding at T2 (broadcast) with T1/T2 from options 58/59 or the
 * defaults, the unicast ACK to a renewal received on port 68 (no ICMP
 * port unreachable), expiry removing address and route, the default route
 * following a renewal's router and a rebinding's new address,
 * INIT-REBOOT after the carrier returns, malformed replies counted by
 * reason, a reply on a device without a client (NoClient), unrelated
 * traffic left to IPv4, and skbs, allocations and timers back at their
 * baseline after every case.
 */
#include "net/ipv4/dhcp.h"

#include "kernel/errno.h"
#include "net/core/byteorder.h"
#include "net/core/checksum.h"
#include "net/core/stats.h"
#include "net/ethernet/eth.h"
#include "net/ipv4/devinet.h"
#include "net/ipv4/fib.h"
#include "net/ipv4/icmp.h"
#include "net/ipv4/snmp.h"
#include "net/ipv4/udp.h"
#include "net/platform.h"
#include "tests/host/check.h"
#include "tests/host/net_platform_host.h"
#include "tests/host/test_ipv4_util.h"

#define A IPT_ADDR
#define SERVER		A(198, 18, 0, 1)
#define OFFERED		A(198, 18, 0, 77)
#define DNS		A(198, 18, 0, 53)
#define ROUTER2		A(198, 18, 0, 254)
#define OTHER		A(198, 18, 0, 78)
#define LEASE_S		600u		/* T1 300 s, T2 525 s by default */

static uint8_t pkt[1500];
static bool corrupt_csum;	/* the next injected datagram's UDP checksum is wrong */

static struct {
	unsigned int calls;
	unsigned int unbound;
	struct dhcp_lease lease;
} bound;

static void on_bound(struct net_device *dev, const struct dhcp_lease *l)
{
	(void)dev;
	bound.calls++;
	bound.lease = *l;
}

static void on_unbound(struct net_device *dev, const struct dhcp_lease *l)
{
	(void)dev;
	CHECK(inet_ifa_byaddr(l->addr) != NULL);	/* told before it goes */
	bound.unbound++;
}

/* A client frame the stack sent, decoded. */
struct sent {
	struct dhcp_msg m;
	struct ip4_hdr_info ip;
	uint8_t eth_dst[6];
	uint8_t raw[DHCP_MSG_MAX];	/* the DHCP message bytes */
	size_t len;
};

/* What the scripted server answers. */
struct reply {
	uint8_t type;			/* 0: no option 53 */
	uint32_t xid;
	uint32_t yiaddr;
	uint32_t lease;			/* 0: no option 51 */
	uint32_t t1, t2;		/* 0: no option 58 / 59 */
	uint32_t router;		/* option 3; 0: SERVER */
	bool no_router;
	bool no_server_id;
	bool unicast;			/* to OFFERED at our MAC, else broadcast */
};

static void setup(struct ipt_env *env)
{
	ipt_setup(env, 0, 0, 0);
	memset(&dhcp_stats, 0, sizeof(dhcp_stats));
	memset(&bound, 0, sizeof(bound));
	snmp_reset();
}

static void start(struct ipt_env *env, uint64_t base_ns)
{
	struct dhcp_params p = { .rto_base_ns = base_ns, .bound = on_bound,
				 .unbound = on_unbound };

	CHECK_EQ(dhcp_start(env->eth->dev, &p), 0);
	CHECK_EQ(dhcp_start(env->eth->dev, &p), -EBUSY);
	host_run_softirqs(0);
}

static void teardown(struct ipt_env *env)
{
	dhcp_stop(env->eth->dev);
	CHECK(inet_ifa_byaddr(OFFERED) == NULL);
	CHECK_EQ(fib_count(), 1);		/* loopback's own */
	ipt_teardown(env);
}

/* Plays the server's ARP: takes the ARP frames off the TX queue and
 * answers requests for SERVER, so unicast renewals always get out. */
static void serve_arp(struct ipt_env *env)
{
	unsigned int n = ipt_tx_count(env);
	bool asked = false;
	struct sk_buff *skb;
	struct arp_info a;

	while (n--) {
		skb = ipt_pop(env);
		if (!ipt_frame_arp(skb, &a)) {
			skb_queue_tail(&env->eth->tx, skb);
			continue;
		}
		asked |= a.op == ARPOP_REQUEST && a.tip == SERVER;
		kfree_skb(skb);
	}
	if (asked) {
		a = (struct arp_info){ .op = ARPOP_REPLY, .sip = SERVER, .tip = env->addr };
		memcpy(a.sha, ipt_peer_mac, 6);
		memcpy(a.tha, ipt_our_mac, 6);
		ipt_inject_arp(env, &a, ipt_our_mac);
	}
}

/* Pops the next frame as a DHCP client message; false if there is none
 * or it is not one. */
static bool pop_client(struct ipt_env *env, struct sent *s)
{
	struct sk_buff *skb;

	serve_arp(env);
	skb = ipt_pop(env);
	const uint8_t *u;
	bool ok;

	if (!skb)
		return false;
	ok = ipt_frame_ip(skb, &s->ip, &u) && s->ip.protocol == IPPROTO_UDP &&
	     get_be16(u) == DHCP_CLIENT_PORT && get_be16(u + 2) == DHCP_SERVER_PORT &&
	     csum_tcpudp_magic(htonl(s->ip.saddr), htonl(s->ip.daddr), get_be16(u + 4),
			       IPPROTO_UDP, csum_partial(u, get_be16(u + 4), 0)) == 0;
	s->len = ok ? get_be16(u + 4) - 8u : 0;
	if (ok && s->len <= sizeof(s->raw)) {
		memcpy(s->raw, u + 8, s->len);
		memcpy(s->eth_dst, skb->data, 6);
		ok = dhcp_parse(s->raw, s->len, &s->m) == 0 && s->m.op == BOOTREQUEST;
	}
	kfree_skb(skb);
	return ok;
}

/* The option code in a sent message, or NULL (options field only). */
static const uint8_t *sent_opt(const struct sent *s, uint8_t code)
{
	for (size_t i = 240; i + 1 < s->len && s->raw[i] != DHCP_OPT_END;) {
		if (s->raw[i] == DHCP_OPT_PAD) {
			i++;
			continue;
		}
		if (s->raw[i] == code)
			return s->raw + i;
		i += 2u + s->raw[i + 1];
	}
	return NULL;
}

static size_t put_opt32(uint8_t *p, uint8_t code, uint32_t v)
{
	p[0] = code;
	p[1] = 4;
	put_be32(p + 2, v);
	return 6;
}

/* The server's message for r into msg; returns its length. */
static size_t reply_msg(uint8_t *msg, const struct reply *r)
{
	struct bootp_hdr *h = (struct bootp_hdr *)msg;
	uint8_t *p = msg + sizeof(*h);

	memset(msg, 0, DHCP_MSG_MAX);
	h->op = BOOTREPLY;
	h->htype = 1;
	h->hlen = 6;
	put_be32(&h->xid, r->xid);
	put_be32(&h->yiaddr, r->yiaddr);
	memcpy(h->chaddr, ipt_our_mac, 6);
	memcpy(h->cookie, "\x63\x82\x53\x63", 4);
	if (r->type) {
		*p++ = DHCP_OPT_MSG_TYPE;
		*p++ = 1;
		*p++ = r->type;
	}
	if (!r->no_server_id)
		p += put_opt32(p, DHCP_OPT_SERVER_ID, SERVER);
	if (r->type != DHCPNAK) {
		p += put_opt32(p, DHCP_OPT_SUBNET_MASK, 0xffffff00);
		if (!r->no_router)
			p += put_opt32(p, DHCP_OPT_ROUTER, r->router ? r->router : SERVER);
		p += put_opt32(p, DHCP_OPT_DNS, DNS);
	}
	if (r->lease)
		p += put_opt32(p, DHCP_OPT_LEASE_TIME, r->lease);
	if (r->t1)
		p += put_opt32(p, DHCP_OPT_RENEWAL_T1, r->t1);
	if (r->t2)
		p += put_opt32(p, DHCP_OPT_REBINDING_T2, r->t2);
	*p++ = DHCP_OPT_END;
	return (size_t)(p - msg);
}

/* Wraps msg in UDP 67 -> 68 and IPv4 from SERVER and injects it. */
static void inject_udp(struct ipt_env *env, const uint8_t *msg, size_t len, bool unicast,
		       uint16_t sport, uint16_t dport)
{
	struct ip4_hdr_info h = { .saddr = SERVER, .protocol = IPPROTO_UDP, .id = 9,
				  .daddr = unicast ? OFFERED : INADDR_BROADCAST };
	uint8_t udp[8 + DHCP_MSG_MAX];
	uint16_t check;

	put_be16(udp, sport);
	put_be16(udp + 2, dport);
	put_be16(udp + 4, (uint16_t)(8 + len));
	memset(udp + 6, 0, 2);
	memcpy(udp + 8, msg, len);
	check = csum_tcpudp_magic(htonl(h.saddr), htonl(h.daddr), (uint16_t)(8 + len),
				  IPPROTO_UDP, csum_partial(udp, 8 + len, 0));
	if (corrupt_csum)
		check ^= 0x0101;
	corrupt_csum = false;
	memcpy(udp + 6, &check, 2);
	ipt_inject(env, unicast ? ipt_our_mac : ipt_bcast_mac, ETH_P_IP, pkt,
		   ipt_build_ip(pkt, h, udp, 8 + len));
}

static void inject_reply(struct ipt_env *env, const struct reply *r)
{
	uint8_t msg[DHCP_MSG_MAX];

	inject_udp(env, msg, reply_msg(msg, r), r->unicast, DHCP_SERVER_PORT, DHCP_CLIENT_PORT);
}

static void check_broadcast(const struct sent *s, uint32_t saddr)
{
	CHECK(memcmp(s->eth_dst, ipt_bcast_mac, 6) == 0);
	CHECK_EQ(s->ip.saddr, saddr);
	CHECK_EQ(s->ip.daddr, INADDR_BROADCAST);
}

/* DISCOVER, OFFER, REQUEST, and ack (its xid filled in) as the answer:
 * returns the xid; the client is BOUND and the peer (SERVER) known to
 * ARP. */
static uint32_t acquire_with(struct ipt_env *env, struct reply ack)
{
	struct sent s;
	uint32_t xid;

	start(env, 0);
	CHECK(pop_client(env, &s));
	CHECK_EQ(s.m.type, DHCPDISCOVER);
	xid = s.m.xid;
	inject_reply(env, &(struct reply){ .type = DHCPOFFER, .xid = xid, .yiaddr = OFFERED,
					   .lease = LEASE_S });
	CHECK(pop_client(env, &s));
	CHECK_EQ(s.m.type, DHCPREQUEST);
	ack.xid = xid;
	inject_reply(env, &ack);
	CHECK_EQ(dhcp_get_state(env->eth->dev), DHCP_BOUND);
	env->addr = OFFERED;
	host_run_softirqs(0);
	ipt_drain(env);				/* gratuitous ARP */
	ipt_learn_peer(env, SERVER);
	return xid;
}

static uint32_t acquire(struct ipt_env *env)
{
	return acquire_with(env, (struct reply){ .type = DHCPACK, .yiaddr = OFFERED,
						 .lease = LEASE_S });
}

/* After the ACK of test_exchange: what BOUND configured and counted. */
static void check_bound(struct ipt_env *env, uint32_t xid)
{
	struct fib_result res;
	const struct dhcp_lease *l;

	CHECK_EQ(dhcp_get_state(env->eth->dev), DHCP_BOUND);
	CHECK(inet_ifa_byaddr(OFFERED) != NULL);
	CHECK_EQ(inet_ifa_byaddr(OFFERED)->prefixlen, 24);
	CHECK_EQ(fib_lookup(A(8, 8, 8, 8), &res), 0);
	CHECK_EQ(res.nexthop, SERVER);
	CHECK(res.dev == env->eth->dev);
	CHECK_EQ(bound.calls, 1);
	CHECK_EQ(bound.lease.addr, OFFERED);
	CHECK_EQ(bound.lease.plen, 24);
	l = dhcp_get_lease(env->eth->dev);
	CHECK(l != NULL);
	CHECK_EQ(l->router, SERVER);
	CHECK_EQ(l->server, SERVER);
	CHECK_EQ(l->n_dns, 1);
	CHECK_EQ(l->dns[0], DNS);
	CHECK_EQ(l->t1_s, 300);
	CHECK_EQ(l->t2_s, 525);
	CHECK(strstr(host_log_last(), "bound 198.18.0.77/24 router 198.18.0.1 server "
		     "198.18.0.1 dns 198.18.0.53 lease 600 s") != NULL);
	CHECK_EQ(dhcp_stats.Discovers, 1);
	CHECK_EQ(dhcp_stats.Offers, 1);
	CHECK_EQ(dhcp_stats.Requests, 1);
	CHECK_EQ(dhcp_stats.Acks, 1);
	CHECK_EQ(dhcp_stats.Bounds, 1);
	CHECK_EQ(dhcp_stats.BadPackets, 0);
	CHECK_EQ(mib_lookup(mib_find("Dhcp"), "Acks"), 1);
	/* A late duplicate ACK in BOUND reaches port 68 and changes nothing. */
	inject_reply(env, &(struct reply){ .type = DHCPACK, .xid = xid, .yiaddr = OFFERED,
					   .lease = LEASE_S });
	CHECK_EQ(dhcp_stats.Acks, 2);
	CHECK_EQ(dhcp_stats.Unexpected, 1);
	CHECK_EQ(dhcp_stats.RenewAcks, 0);
	CHECK_EQ(udp_statistics.NoPorts, 0);
	CHECK_EQ(icmp_statistics.OutDestUnreachs, 0);
}

static void test_exchange(void)
{
	struct ipt_env env;
	const uint8_t *o;
	struct sent s;
	uint32_t xid;

	setup(&env);
	start(&env, 0);
	CHECK_EQ(dhcp_get_state(env.eth->dev), DHCP_SELECTING);
	CHECK(pop_client(&env, &s));
	check_broadcast(&s, 0);
	CHECK_EQ(s.m.type, DHCPDISCOVER);
	CHECK_EQ(s.m.flags, BOOTP_FLAG_BROADCAST);
	CHECK_EQ(s.m.ciaddr, 0);
	CHECK(memcmp(s.m.chaddr, ipt_our_mac, 6) == 0);
	CHECK(!(s.m.have & (DHCP_HAVE_REQUESTED_IP | DHCP_HAVE_SERVER_ID)));
	CHECK_EQ(s.len, DHCP_MSG_MIN);
	o = sent_opt(&s, DHCP_OPT_CLIENT_ID);
	CHECK(o && o[1] == 7 && o[2] == 1 && memcmp(o + 3, ipt_our_mac, 6) == 0);
	o = sent_opt(&s, DHCP_OPT_PARAM_REQUEST);
	CHECK(o && o[1] >= 7 && memchr(o + 2, DHCP_OPT_SUBNET_MASK, o[1]) &&
	      memchr(o + 2, DHCP_OPT_ROUTER, o[1]) && memchr(o + 2, DHCP_OPT_DNS, o[1]) &&
	      memchr(o + 2, DHCP_OPT_LEASE_TIME, o[1]));
	xid = s.m.xid;

	inject_reply(&env, &(struct reply){ .type = DHCPOFFER, .xid = xid, .yiaddr = OFFERED,
					    .lease = LEASE_S });
	CHECK_EQ(dhcp_get_state(env.eth->dev), DHCP_REQUESTING);
	CHECK(pop_client(&env, &s));
	check_broadcast(&s, 0);
	CHECK_EQ(s.m.type, DHCPREQUEST);
	CHECK_EQ(s.m.xid, xid);			/* Table 5: the offer's xid */
	CHECK_EQ(s.m.ciaddr, 0);
	CHECK_EQ(s.m.requested_ip, OFFERED);
	CHECK_EQ(s.m.server_id, SERVER);
	CHECK(inet_ifa_byaddr(OFFERED) == NULL);

	inject_reply(&env, &(struct reply){ .type = DHCPACK, .xid = xid, .yiaddr = OFFERED,
					    .lease = LEASE_S });
	check_bound(&env, xid);
	teardown(&env);
}

/* Advances the clock in 10 ms steps until a frame is sent (at most
 * max_ns); returns the time it took, or UINT64_MAX. */
static uint64_t wait_tx(struct ipt_env *env, uint64_t max_ns)
{
	for (uint64_t t = 0; t <= max_ns; t += 10 * MSEC) {
		serve_arp(env);
		if (ipt_tx_count(env))
			return t;
		host_clock_advance(10 * MSEC);
	}
	return UINT64_MAX;
}

static void test_backoff(void)
{
	static const uint64_t expect_s[] = { 4, 8, 16, 32, 64, 64, 64 };
	struct ipt_env env;
	struct sent s;
	uint64_t t;
	uint32_t xid;

	setup(&env);
	start(&env, 0);
	CHECK(pop_client(&env, &s));
	xid = s.m.xid;
	for (size_t i = 0; i < sizeof(expect_s) / sizeof(expect_s[0]); i++) {
		/* §4.1: each delay randomized by -1 .. +1 s. */
		t = wait_tx(&env, 70 * SEC);
		CHECK(t >= (expect_s[i] - 1) * SEC && t <= (expect_s[i] + 1) * SEC);
		CHECK(pop_client(&env, &s));
		CHECK_EQ(s.m.type, DHCPDISCOVER);
		CHECK_EQ(s.m.xid, xid);
		CHECK(s.m.secs >= 3);
	}
	CHECK_EQ(dhcp_stats.Retransmits, 7);
	CHECK_EQ(dhcp_stats.Discovers, 8);
	teardown(&env);

	/* A configurable base: 100 ms, 200 ms, ... +- 25 ms. */
	setup(&env);
	start(&env, 100 * MSEC);
	CHECK(pop_client(&env, &s));
	t = wait_tx(&env, SEC);
	CHECK(t >= 70 * MSEC && t <= 130 * MSEC);
	ipt_drain(&env);
	t = wait_tx(&env, SEC);
	CHECK(t >= 170 * MSEC && t <= 230 * MSEC);
	teardown(&env);
}

/* REQUESTING with no answer: 4 retransmissions, then a new DISCOVER. */
static void test_request_timeout(void)
{
	struct ipt_env env;
	struct sent s;
	uint32_t xid;
	int requests = 0;

	setup(&env);
	start(&env, 0);
	CHECK(pop_client(&env, &s));
	xid = s.m.xid;
	inject_reply(&env, &(struct reply){ .type = DHCPOFFER, .xid = xid, .yiaddr = OFFERED,
					    .lease = LEASE_S });
	while (wait_tx(&env, 70 * SEC) != UINT64_MAX && pop_client(&env, &s) &&
	       s.m.type == DHCPREQUEST)
		requests++;
	CHECK_EQ(requests, 5);
	CHECK_EQ(s.m.type, DHCPDISCOVER);
	CHECK(s.m.xid != xid);
	CHECK_EQ(dhcp_get_state(env.eth->dev), DHCP_SELECTING);
	CHECK(strstr(host_log_last(), "no answer") != NULL);
	teardown(&env);
}

static void test_nak(void)
{
	struct ipt_env env;
	struct fib_result res;
	struct sent s;
	uint32_t xid;

	/* NAK to the REQUEST after an offer: INIT, DISCOVER after ~4 s. */
	setup(&env);
	start(&env, 0);
	CHECK(pop_client(&env, &s));
	xid = s.m.xid;
	inject_reply(&env, &(struct reply){ .type = DHCPOFFER, .xid = xid, .yiaddr = OFFERED,
					    .lease = LEASE_S });
	CHECK(pop_client(&env, &s));
	inject_reply(&env, &(struct reply){ .type = DHCPNAK, .xid = xid });
	CHECK_EQ(dhcp_get_state(env.eth->dev), DHCP_INIT);
	CHECK_EQ(dhcp_stats.Naks, 1);
	CHECK(strstr(host_log_last(), "DHCPNAK from 198.18.0.1 in REQUESTING") != NULL);
	CHECK(wait_tx(&env, 6 * SEC) >= 3 * SEC);
	CHECK(pop_client(&env, &s));
	CHECK_EQ(s.m.type, DHCPDISCOVER);
	CHECK(s.m.xid != xid);
	teardown(&env);

	/* NAK to a renewal: address and default route go. */
	setup(&env);
	acquire(&env);
	host_clock_advance(300 * SEC);
	CHECK(pop_client(&env, &s));
	CHECK_EQ(dhcp_get_state(env.eth->dev), DHCP_RENEWING);
	inject_reply(&env, &(struct reply){ .type = DHCPNAK, .xid = s.m.xid, .unicast = true });
	CHECK_EQ(dhcp_get_state(env.eth->dev), DHCP_INIT);
	CHECK(inet_ifa_byaddr(OFFERED) == NULL);
	CHECK_EQ(fib_lookup(A(8, 8, 8, 8), &res), -ENETUNREACH);
	CHECK(dhcp_get_lease(env.eth->dev) == NULL);
	CHECK_EQ(bound.unbound, 1);
	CHECK(strstr(host_log_last(), "DHCPNAK from 198.18.0.1 in RENEWING, address and "
		     "default route removed") != NULL);
	CHECK(wait_tx(&env, 6 * SEC) >= 3 * SEC);
	CHECK(pop_client(&env, &s));
	CHECK_EQ(s.m.type, DHCPDISCOVER);
	check_broadcast(&s, 0);
	teardown(&env);
}

static void test_renew(void)
{
	struct ipt_env env;
	struct sent s;
	const struct dhcp_lease *l;

	setup(&env);
	acquire(&env);
	host_clock_advance(299 * SEC);
	CHECK_EQ(ipt_tx_count(&env), 0);
	host_clock_advance(1 * SEC);			/* T1 */
	CHECK_EQ(dhcp_get_state(env.eth->dev), DHCP_RENEWING);
	CHECK(pop_client(&env, &s));
	/* §4.4.5: unicast to the server, ciaddr ours, no 50/54. */
	CHECK(memcmp(s.eth_dst, ipt_peer_mac, 6) == 0);
	CHECK_EQ(s.ip.saddr, OFFERED);
	CHECK_EQ(s.ip.daddr, SERVER);
	CHECK_EQ(s.m.type, DHCPREQUEST);
	CHECK_EQ(s.m.ciaddr, OFFERED);
	CHECK_EQ(s.m.flags, 0);
	CHECK(!(s.m.have & (DHCP_HAVE_REQUESTED_IP | DHCP_HAVE_SERVER_ID)));
	CHECK_EQ(dhcp_stats.Renewals, 1);
	inject_reply(&env, &(struct reply){ .type = DHCPACK, .xid = s.m.xid, .yiaddr = OFFERED,
					    .lease = LEASE_S, .unicast = true });
	CHECK_EQ(dhcp_get_state(env.eth->dev), DHCP_BOUND);
	CHECK_EQ(bound.calls, 1);			/* same address: no new binding */
	CHECK(inet_ifa_byaddr(OFFERED) != NULL);
	l = dhcp_get_lease(env.eth->dev);
	CHECK(l && l->expire_ns == net_now_ns() + LEASE_S * SEC);
	CHECK(strstr(host_log_last(), "renewed 198.18.0.77/24") != NULL);
	CHECK_EQ(dhcp_stats.RenewAcks, 1);
	CHECK_EQ(bound.unbound, 0);
	/* The unicast ACK went to the port-68 sock: no ICMP port unreachable. */
	CHECK_EQ(udp_statistics.NoPorts, 0);
	CHECK_EQ(udp_statistics.InDatagrams, 3);	/* OFFER, ACK, renewal ACK */
	CHECK_EQ(icmp_statistics.OutDestUnreachs, 0);
	CHECK_EQ(ipt_tx_count(&env), 0);
	/* The next renewal comes 300 s after this one, not at the old T2. */
	host_clock_advance(299 * SEC);
	CHECK_EQ(ipt_tx_count(&env), 0);
	host_clock_advance(1 * SEC);
	CHECK(pop_client(&env, &s));
	CHECK_EQ(dhcp_stats.Renewals, 2);
	teardown(&env);
}

static void test_rebind_and_expiry(void)
{
	struct ipt_env env;
	struct fib_result res;
	struct sent s;

	setup(&env);
	acquire(&env);
	host_clock_advance(300 * SEC);			/* T1 */
	CHECK(pop_client(&env, &s));
	/* §4.4.5: half the time to T2 (112.5 s), at least 60 s. */
	CHECK(wait_tx(&env, 120 * SEC) == 112500 * MSEC);
	CHECK(pop_client(&env, &s));
	CHECK_EQ(s.ip.daddr, SERVER);
	CHECK_EQ(dhcp_stats.Retransmits, 1);
	/* At 412.5 s: next wait would be 56 s < 60 s, so 60 s, then T2 at
	 * 525 s comes first. */
	CHECK(wait_tx(&env, 60 * SEC) == 60 * SEC);
	ipt_drain(&env);
	CHECK(wait_tx(&env, 60 * SEC) == 52500 * MSEC);	/* T2 = 525 s */
	CHECK_EQ(dhcp_get_state(env.eth->dev), DHCP_REBINDING);
	CHECK(pop_client(&env, &s));
	check_broadcast(&s, OFFERED);
	CHECK_EQ(s.m.ciaddr, OFFERED);
	CHECK_EQ(dhcp_stats.Rebinds, 1);
	/* Half of the 75 s left is under 60 s: 60 s, then expiry at 600 s. */
	CHECK(wait_tx(&env, 60 * SEC) == 60 * SEC);
	ipt_drain(&env);
	CHECK_EQ(fib_lookup(A(8, 8, 8, 8), &res), 0);
	CHECK(wait_tx(&env, 60 * SEC) == 15 * SEC);
	CHECK_EQ(dhcp_stats.Expiries, 1);
	CHECK_EQ(bound.unbound, 1);
	CHECK(inet_ifa_byaddr(OFFERED) == NULL);
	CHECK_EQ(fib_lookup(A(8, 8, 8, 8), &res), -ENETUNREACH);
	CHECK_EQ(fib_lookup(A(198, 18, 0, 9), &res), -ENETUNREACH);	/* connected route */
	CHECK(strstr(host_log_last(), "expired: address and default route removed") != NULL);
	CHECK(pop_client(&env, &s));
	check_broadcast(&s, 0);
	CHECK_EQ(s.m.type, DHCPDISCOVER);
	CHECK_EQ(dhcp_get_state(env.eth->dev), DHCP_SELECTING);
	teardown(&env);

	/* An ACK while rebinding (broadcast reply) binds again. */
	setup(&env);
	acquire(&env);
	ipt_drain(&env);
	host_clock_advance(525 * SEC);
	CHECK_EQ(dhcp_get_state(env.eth->dev), DHCP_REBINDING);
	while (ipt_tx_count(&env) > 1)
		kfree_skb(ipt_pop(&env));
	CHECK(pop_client(&env, &s));
	inject_reply(&env, &(struct reply){ .type = DHCPACK, .xid = s.m.xid, .yiaddr = OFFERED,
					    .lease = LEASE_S });
	CHECK_EQ(dhcp_get_state(env.eth->dev), DHCP_BOUND);
	CHECK_EQ(dhcp_get_lease(env.eth->dev)->expire_ns, net_now_ns() + LEASE_S * SEC);
	teardown(&env);
}

/* The default route follows the lease: a renewal ACK naming another
 * router moves it and one without option 3 removes it, the address and
 * the binding staying as they are; a rebinding ACK for another address
 * unbinds the old lease first (address, connected and default route gone,
 * unbound told) and binds the new one. */
static void test_route_changes(void)
{
	struct fib_result res;
	struct ipt_env env;
	struct sent s;

	setup(&env);
	acquire(&env);
	CHECK_EQ(fib_count(), 3);		/* loopback's, connected, default */
	host_clock_advance(300 * SEC);		/* T1 */
	CHECK(pop_client(&env, &s));
	inject_reply(&env, &(struct reply){ .type = DHCPACK, .xid = s.m.xid, .yiaddr = OFFERED,
					    .lease = LEASE_S, .router = ROUTER2, .unicast = true });
	CHECK_EQ(dhcp_get_state(env.eth->dev), DHCP_BOUND);
	CHECK_EQ(fib_lookup(A(8, 8, 8, 8), &res), 0);
	CHECK_EQ(res.nexthop, ROUTER2);
	CHECK_EQ(fib_count(), 3);		/* the route via SERVER is gone */
	CHECK(strstr(host_log_last(), "renewed 198.18.0.77/24 router 198.18.0.254") != NULL);
	CHECK_EQ(bound.calls, 1);
	CHECK_EQ(bound.unbound, 0);

	host_clock_advance(300 * SEC);
	CHECK(pop_client(&env, &s));
	inject_reply(&env, &(struct reply){ .type = DHCPACK, .xid = s.m.xid, .yiaddr = OFFERED,
					    .lease = LEASE_S, .no_router = true, .unicast = true });
	CHECK_EQ(fib_lookup(A(8, 8, 8, 8), &res), -ENETUNREACH);
	CHECK_EQ(fib_count(), 2);
	CHECK_EQ(dhcp_get_lease(env.eth->dev)->router, 0);
	CHECK(inet_ifa_byaddr(OFFERED) != NULL);
	CHECK_EQ(bound.unbound, 0);

	/* Back to a router, then T2 with no answer to the renewals. */
	host_clock_advance(300 * SEC);
	CHECK(pop_client(&env, &s));
	inject_reply(&env, &(struct reply){ .type = DHCPACK, .xid = s.m.xid, .yiaddr = OFFERED,
					    .lease = LEASE_S, .unicast = true });
	CHECK_EQ(fib_count(), 3);
	host_clock_advance(525 * SEC);
	CHECK_EQ(dhcp_get_state(env.eth->dev), DHCP_REBINDING);
	while (ipt_tx_count(&env) > 1)
		kfree_skb(ipt_pop(&env));
	CHECK(pop_client(&env, &s));
	inject_reply(&env, &(struct reply){ .type = DHCPACK, .xid = s.m.xid, .yiaddr = OTHER,
					    .lease = LEASE_S, .router = ROUTER2 });
	CHECK_EQ(dhcp_get_state(env.eth->dev), DHCP_BOUND);
	CHECK_EQ(bound.unbound, 1);
	CHECK_EQ(bound.calls, 2);
	CHECK_EQ(bound.lease.addr, OTHER);
	CHECK(inet_ifa_byaddr(OFFERED) == NULL);
	CHECK(inet_ifa_byaddr(OTHER) != NULL);
	CHECK_EQ(fib_lookup(A(8, 8, 8, 8), &res), 0);
	CHECK_EQ(res.nexthop, ROUTER2);
	CHECK_EQ(fib_lookup(A(198, 18, 0, 9), &res), 0);
	CHECK_EQ(res.prefsrc, OTHER);
	CHECK_EQ(fib_count(), 3);
	CHECK(strstr(host_log_last(), "bound 198.18.0.78/24 router 198.18.0.254") != NULL);
	CHECK_EQ(dhcp_stats.Bounds, 2);
	dhcp_stop(env.eth->dev);
	CHECK_EQ(bound.unbound, 2);
	CHECK(inet_ifa_byaddr(OTHER) == NULL);
	teardown(&env);
}

/* The user replaced the lease's default route with their own via the
 * same router: giving the lease up removes only what DHCP added. */
static void test_route_user_owned(void)
{
	struct fib_config cfg = { .gw = SERVER, .proto = RTPROT_STATIC, .metric = 5 };
	struct fib_result res;
	struct ipt_env env;

	setup(&env);
	acquire(&env);
	CHECK_EQ(fib_count(), 3);		/* loopback's, connected, default */
	CHECK_EQ(fib_table_delete(&(struct fib_config){ .gw = SERVER }), 0);
	cfg.dev = env.eth->dev;
	CHECK_EQ(fib_table_insert(&cfg), 0);
	dhcp_stop(env.eth->dev);
	CHECK(inet_ifa_byaddr(OFFERED) == NULL);
	CHECK_EQ(fib_count(), 2);		/* loopback's and the user's default */
	CHECK_EQ(fib_lookup(A(8, 8, 8, 8), &res), 0);
	CHECK_EQ(res.route->proto, RTPROT_STATIC);
	CHECK_EQ(res.nexthop, SERVER);
	fib_table_delete(&cfg);
	teardown(&env);
}

/* T1 and T2 from options 58 and 59 (a 120 s lease renewed at 20 s,
 * rebound at 40 s, as dnsmasq is told in tests/qemu/dhcp_dnsmasq.sh);
 * inconsistent ones fall back to 0.5 and 0.875 of the lease. */
static void test_lease_options(void)
{
	const struct dhcp_lease *l;
	struct ipt_env env;
	struct sent s;

	setup(&env);
	acquire_with(&env, (struct reply){ .type = DHCPACK, .yiaddr = OFFERED, .lease = 120,
					   .t1 = 20, .t2 = 40 });
	l = dhcp_get_lease(env.eth->dev);
	CHECK(l && l->t1_s == 20 && l->t2_s == 40 && l->lease_s == 120);
	CHECK(wait_tx(&env, 30 * SEC) == 20 * SEC);
	CHECK_EQ(dhcp_get_state(env.eth->dev), DHCP_RENEWING);
	CHECK(pop_client(&env, &s));
	CHECK_EQ(s.ip.daddr, SERVER);
	/* Half of the 20 s to T2 is under the 60 s minimum: nothing more
	 * until T2 itself, then a broadcast. */
	CHECK(wait_tx(&env, 30 * SEC) == 20 * SEC);
	CHECK_EQ(dhcp_get_state(env.eth->dev), DHCP_REBINDING);
	CHECK(pop_client(&env, &s));
	check_broadcast(&s, OFFERED);
	/* Half of the 80 s left is under 60 s: one retransmission at 100 s,
	 * then expiry at 120 s: address gone, DISCOVER again. */
	CHECK(wait_tx(&env, 70 * SEC) == 60 * SEC);
	CHECK(pop_client(&env, &s));
	check_broadcast(&s, OFFERED);
	CHECK_EQ(dhcp_stats.Retransmits, 1);
	CHECK(wait_tx(&env, 30 * SEC) == 20 * SEC);
	CHECK_EQ(dhcp_stats.Expiries, 1);
	CHECK(inet_ifa_byaddr(OFFERED) == NULL);
	CHECK(pop_client(&env, &s));
	CHECK_EQ(s.m.type, DHCPDISCOVER);
	CHECK_EQ(dhcp_get_state(env.eth->dev), DHCP_SELECTING);
	teardown(&env);

	/* T1 after T2: both from the lease (60 s, 105 s). */
	setup(&env);
	acquire_with(&env, (struct reply){ .type = DHCPACK, .yiaddr = OFFERED, .lease = 120,
					   .t1 = 50, .t2 = 40 });
	l = dhcp_get_lease(env.eth->dev);
	CHECK(l && l->t1_s == 60 && l->t2_s == 105);
	CHECK(wait_tx(&env, 70 * SEC) == 60 * SEC);
	CHECK_EQ(dhcp_get_state(env.eth->dev), DHCP_RENEWING);
	teardown(&env);

	/* Only option 58: T2 keeps its default. */
	setup(&env);
	acquire_with(&env, (struct reply){ .type = DHCPACK, .yiaddr = OFFERED, .lease = 120,
					   .t1 = 30 });
	l = dhcp_get_lease(env.eth->dev);
	CHECK(l && l->t1_s == 30 && l->t2_s == 105);
	teardown(&env);
}

static void inject_msg(struct ipt_env *env, const uint8_t *msg, size_t len)
{
	inject_udp(env, msg, len, false, DHCP_SERVER_PORT, DHCP_CLIENT_PORT);
}

/* In SELECTING, each malformed reply is counted by reason and dropped;
 * nothing is sent and the state stays. */
static void test_malformed(void)
{
	struct reply offer = { .type = DHCPOFFER, .yiaddr = OFFERED, .lease = LEASE_S };
	uint8_t msg[DHCP_MSG_MAX];
	struct ipt_env env;
	struct sent s;
	size_t len;

	setup(&env);
	start(&env, 0);
	CHECK(pop_client(&env, &s));
	offer.xid = s.m.xid;
	len = reply_msg(msg, &offer);
	inject_msg(&env, msg, 100);				/* truncated */
	CHECK_EQ(dhcp_stats.BadTruncated, 1);
	msg[250] = 200;						/* mask overruns */
	inject_msg(&env, msg, len);
	msg[250] = 3;						/* mask of 3 bytes */
	inject_msg(&env, msg, len);
	CHECK_EQ(dhcp_stats.BadOptions, 2);
	msg[250] = 4;
	msg[236] = 0;						/* no magic cookie */
	inject_msg(&env, msg, len);
	CHECK_EQ(dhcp_stats.BadOptions, 3);
	msg[236] = 99;
	corrupt_csum = true;				/* udp_rcv drops it */
	inject_msg(&env, msg, len);
	CHECK_EQ(udp_statistics.InCsumErrors, 1);
	inject_reply(&env, &(struct reply){ .xid = offer.xid, .yiaddr = OFFERED });
	CHECK_EQ(dhcp_stats.BadNoType, 1);
	inject_reply(&env, &(struct reply){ .type = DHCPOFFER, .xid = offer.xid,
					    .yiaddr = OFFERED, .no_server_id = true });
	CHECK_EQ(dhcp_stats.BadLease, 1);
	CHECK_EQ(dhcp_stats.BadPackets, 6);
	/* The right message from another port than 67 is not a reply. */
	inject_udp(&env, msg, len, false, 53, DHCP_CLIENT_PORT);
	CHECK_EQ(dhcp_stats.NotServerPort, 1);
	inject_reply(&env, &(struct reply){ .type = DHCPOFFER, .xid = offer.xid + 1,
					    .yiaddr = OFFERED });
	CHECK_EQ(dhcp_stats.WrongXid, 1);
	inject_reply(&env, &(struct reply){ .type = DHCPACK, .xid = offer.xid,
					    .yiaddr = OFFERED, .lease = LEASE_S });
	CHECK_EQ(dhcp_stats.Unexpected, 1);
	CHECK_EQ(ipt_tx_count(&env), 0);
	CHECK_EQ(dhcp_get_state(env.eth->dev), DHCP_SELECTING);
	CHECK_EQ(dhcp_stats.Offers, 1);			/* the one without server id */
	/* An ACK with a bad mask is refused too; the good offer works. */
	inject_reply(&env, &offer);
	CHECK(pop_client(&env, &s));
	CHECK_EQ(s.m.type, DHCPREQUEST);
	offer.type = DHCPACK;
	len = reply_msg(msg, &offer);
	put_be32(msg + 251, 0xff00ff00);
	inject_msg(&env, msg, len);
	CHECK_EQ(dhcp_stats.BadLease, 2);
	CHECK_EQ(dhcp_get_state(env.eth->dev), DHCP_REQUESTING);
	teardown(&env);
}

/* The port-68 sock serves every client: a reply arriving on a device
 * without one is counted in NoClient and dropped before it is parsed,
 * and the client on eth0 takes the same reply. */
static void test_no_client(void)
{
	struct reply offer = { .type = DHCPOFFER, .yiaddr = OFFERED, .lease = LEASE_S };
	struct ipt_env env, other;
	struct sent s;

	setup(&env);
	start(&env, 0);
	CHECK(pop_client(&env, &s));
	offer.xid = s.m.xid;
	other.eth = fake_dev_create(2);
	CHECK(other.eth != NULL);
	host_run_softirqs(0);
	inject_reply(&other, &offer);
	CHECK_EQ(dhcp_stats.NoClient, 1);
	CHECK_EQ(dhcp_stats.Offers, 0);
	CHECK_EQ(dhcp_stats.BadPackets, 0);
	CHECK_EQ(udp_statistics.InDatagrams, 1);
	CHECK_EQ(udp_statistics.NoPorts, 0);
	CHECK_EQ(dhcp_get_state(env.eth->dev), DHCP_SELECTING);
	CHECK(fake_dev_pop_tx(other.eth) == NULL);
	CHECK_EQ(ipt_tx_count(&env), 0);
	inject_reply(&env, &offer);
	CHECK_EQ(dhcp_stats.NoClient, 1);
	CHECK_EQ(dhcp_stats.Offers, 1);
	CHECK_EQ(dhcp_get_state(env.eth->dev), DHCP_REQUESTING);
	fake_dev_destroy(other.eth);
	teardown(&env);
}

/* While the client waits for a reply (RENEWING: it has an address), IPv4
 * handles everything else as before: a ping is answered, UDP to port 68
 * from another port than 67 is counted and dropped, UDP from 67 to
 * another port gets ICMP port unreachable. */
static void test_unrelated_traffic(void)
{
	struct ip4_hdr_info h = { .saddr = SERVER, .daddr = OFFERED, .protocol = IPPROTO_ICMP,
				  .id = 5 };
	struct dhcp_mib before;
	struct ipt_env env;
	struct sk_buff *skb;
	const uint8_t *rep;
	struct sent s;
	uint8_t msg[64];
	size_t len;

	setup(&env);
	acquire(&env);
	host_clock_advance(300 * SEC);
	CHECK(pop_client(&env, &s));
	CHECK_EQ(dhcp_get_state(env.eth->dev), DHCP_RENEWING);
	before = dhcp_stats;
	snmp_reset();
	len = ipt_build_echo(msg, 0x77, 1, 16);
	ipt_inject_ip(&env, pkt, ipt_build_ip(pkt, h, msg, len));
	serve_arp(&env);
	skb = ipt_pop(&env);
	CHECK(skb && ipt_frame_ip(skb, &h, &rep) && rep[0] == ICMP_ECHOREPLY);
	kfree_skb(skb);
	memset(msg, 0, sizeof(msg));
	inject_udp(&env, msg, sizeof(msg), true, 53, DHCP_CLIENT_PORT);
	CHECK_EQ(dhcp_stats.NotServerPort, 1);
	before.NotServerPort = 1;
	inject_udp(&env, msg, sizeof(msg), true, DHCP_SERVER_PORT, 6000);
	CHECK_EQ(icmp_statistics.OutDestUnreachs, 1);
	ipt_drain(&env);
	CHECK(memcmp(&before, &dhcp_stats, sizeof(before)) == 0);
	CHECK_EQ(ip_statistics.InReceives, 3);
	CHECK_EQ(ip_statistics.InDelivers, 3);
	CHECK_EQ(dhcp_get_state(env.eth->dev), DHCP_RENEWING);
	teardown(&env);
}

static void test_link_cycle(void)
{
	struct net_device *dev;
	struct ipt_env env;
	struct sent s;
	int requests = 0;

	setup(&env);
	acquire(&env);
	dev = env.eth->dev;
	netif_carrier_off(dev);
	host_clock_advance(10 * SEC);
	CHECK_EQ(ipt_tx_count(&env), 0);
	CHECK(inet_ifa_byaddr(OFFERED) != NULL);	/* the lease still runs */
	netif_carrier_on(dev);
	CHECK_EQ(dhcp_get_state(dev), DHCP_REBOOTING);
	CHECK_EQ(dhcp_stats.LinkRestarts, 1);
	CHECK(pop_client(&env, &s));
	/* §4.3.2 INIT-REBOOT: broadcast, ciaddr 0, option 50, no 54. */
	check_broadcast(&s, 0);
	CHECK_EQ(s.m.type, DHCPREQUEST);
	CHECK_EQ(s.m.ciaddr, 0);
	CHECK_EQ(s.m.requested_ip, OFFERED);
	CHECK(!(s.m.have & DHCP_HAVE_SERVER_ID));
	inject_reply(&env, &(struct reply){ .type = DHCPACK, .xid = s.m.xid, .yiaddr = OFFERED,
					    .lease = LEASE_S });
	CHECK_EQ(dhcp_get_state(dev), DHCP_BOUND);
	CHECK_EQ(bound.calls, 1);

	/* No answer to INIT-REBOOT: keep the unexpired lease (§3.2). */
	netif_carrier_off(dev);
	netif_carrier_on(dev);
	while (wait_tx(&env, 70 * SEC) != UINT64_MAX && pop_client(&env, &s))
		requests++;
	CHECK_EQ(requests, 5);
	CHECK_EQ(dhcp_stats.RebootFallbacks, 1);
	CHECK_EQ(dhcp_get_state(dev), DHCP_BOUND);	/* 124 s after the ACK: before T1 */
	CHECK(inet_ifa_byaddr(OFFERED) != NULL);
	CHECK(strstr(host_log_last(), "no answer to DHCPREQUEST in REBOOTING") != NULL);
	teardown(&env);
}

/* A carrier loss while renewing leaves the renewal as it is (counted
 * once) and the lease clock running: T2 comes on time, silently;
 * the carrier's return confirms the lease with INIT-REBOOT. */
static void test_link_renewing(void)
{
	struct net_device *dev;
	struct ipt_env env;
	struct sent s;

	setup(&env);
	acquire(&env);
	dev = env.eth->dev;
	host_clock_advance(300 * SEC);			/* T1 */
	CHECK(pop_client(&env, &s));
	CHECK_EQ(dhcp_get_state(dev), DHCP_RENEWING);
	netif_carrier_off(dev);
	CHECK_EQ(dhcp_get_state(dev), DHCP_RENEWING);
	CHECK_EQ(dhcp_stats.Renewals, 1);
	CHECK_EQ(dhcp_stats.Requests, 2);		/* the REQUEST after the offer, T1's */
	host_clock_advance(225 * SEC);			/* T2 */
	CHECK_EQ(dhcp_get_state(dev), DHCP_REBINDING);
	CHECK_EQ(dhcp_stats.Rebinds, 1);
	CHECK_EQ(ipt_tx_count(&env), 0);
	CHECK_EQ(dhcp_stats.Retransmits, 0);		/* none sent at 412.5 s */
	CHECK(inet_ifa_byaddr(OFFERED) != NULL);
	netif_carrier_on(dev);
	CHECK_EQ(dhcp_get_state(dev), DHCP_REBOOTING);
	CHECK(pop_client(&env, &s));
	CHECK_EQ(s.m.requested_ip, OFFERED);
	teardown(&env);
}

/* A lease that runs out while the link is down, or during the INIT-REBOOT
 * request, expires on time; without a lease, a carrier loss stops the
 * exchange until it returns. */
static void test_link_expiry(void)
{
	struct net_device *dev;
	struct ipt_env env;
	struct sent s;
	uint64_t elapsed;

	setup(&env);
	acquire(&env);
	dev = env.eth->dev;
	netif_carrier_off(dev);
	host_clock_advance(590 * SEC);		/* T1 and T2 pass: nothing sent */
	CHECK_EQ(ipt_tx_count(&env), 0);
	CHECK_EQ(dhcp_get_state(dev), DHCP_REBINDING);
	netif_carrier_on(dev);
	CHECK(pop_client(&env, &s));
	CHECK_EQ(s.m.requested_ip, OFFERED);
	elapsed = wait_tx(&env, 20 * SEC);		/* the retransmission, ~4 s */
	CHECK(pop_client(&env, &s) && s.m.type == DHCPREQUEST);
	elapsed += wait_tx(&env, 20 * SEC);
	CHECK_EQ(elapsed, 10 * SEC);			/* expiry at 600 s, not later */
	CHECK_EQ(dhcp_stats.Expiries, 1);
	CHECK(inet_ifa_byaddr(OFFERED) == NULL);
	CHECK(pop_client(&env, &s));
	CHECK_EQ(s.m.type, DHCPDISCOVER);
	teardown(&env);

	/* Without a lease, a carrier loss stops the exchange until it returns. */
	setup(&env);
	start(&env, 0);
	ipt_drain(&env);
	netif_carrier_off(env.eth->dev);
	CHECK_EQ(dhcp_get_state(env.eth->dev), DHCP_INIT);
	host_clock_advance(200 * SEC);
	CHECK_EQ(ipt_tx_count(&env), 0);
	netif_carrier_on(env.eth->dev);
	CHECK(pop_client(&env, &s));
	CHECK_EQ(s.m.type, DHCPDISCOVER);
	teardown(&env);
}

int main(void)
{
	host_log_level(2);
	test_exchange();
	test_backoff();
	test_request_timeout();
	test_nak();
	test_renew();
	test_rebind_and_expiry();
	test_route_changes();
	test_route_user_owned();
	test_lease_options();
	test_malformed();
	test_no_client();
	test_unrelated_traffic();
	test_link_cycle();
	test_link_expiry();
	test_link_renewing();
	return check_report();
}
