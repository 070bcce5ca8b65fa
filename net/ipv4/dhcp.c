/*
 * DHCP client state machine (RFC 2131 §4.4, figure 5) for the devices it
 * was started on (dhcp.h).  One net_timer per device carries every
 * deadline: the retransmission of DISCOVER or REQUEST (SELECTING,
 * REQUESTING, REBOOTING), T1, T2 and expiry of the lease (BOUND,
 * RENEWING, REBINDING), and the hold-off before a new DISCOVER (INIT).
 *
 *   INIT --DISCOVER--> SELECTING --OFFER/REQUEST--> REQUESTING --ACK--> BOUND
 *   BOUND --T1--> RENEWING --T2--> REBINDING --expiry--> INIT
 *   RENEWING/REBINDING --ACK--> BOUND;  any --NAK--> INIT
 *   carrier back: REBOOTING (INIT-REBOOT request) --ACK--> BOUND
 *
 * Simplifications, each allowed by the RFC: the first offer is taken
 * (§4.4.1 "The client may choose to collect several DHCPOFFER messages"),
 * no ARP probe of the offered address (§4.4.1 "SHOULD"), no random 1-10 s
 * wait at startup (§4.4.1 "SHOULD"; a boot waits for nothing else), no
 * DHCPRELEASE (§4.4.6 "MAY").  After a NAK or a failed configuration the
 * client waits one base interval before it discovers again, so a server
 * that NAKs every request cannot make it loop at wire speed.
 *
 * Context: softirq (timer, receive, netdev notifier), or a thread with
 * bottom halves disabled (start/stop).
 */
#include "net/ipv4/dhcp.h"

#include <stddef.h>

#include "kernel/errno.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"
#include "net/ipv4/devinet.h"
#include "net/ipv4/dhcp_priv.h"
#include "net/ipv4/fib.h"
#include "net/ipv4/ip.h"

struct dhcp_mib dhcp_stats;
static const char *const dhcp_mib_names[] = { DHCP_MIB_LIST(MIB_NAME) };
static struct mib dhcp_mib_entry = MIB_INIT("Dhcp", dhcp_mib_names, &dhcp_stats);
_Static_assert(sizeof(dhcp_mib_names) / sizeof(dhcp_mib_names[0]) ==
	       sizeof(struct dhcp_mib) / sizeof(uint64_t), "one name per Dhcp counter");

static struct dhcp_client *dhcp_clients;
static struct notifier_block dhcp_netdev_nb;

#define IP_FMT		"%u.%u.%u.%u"
#define IP_ARGS(a)	(a) >> 24, ((a) >> 16) & 255, ((a) >> 8) & 255, (a) & 255

static const char *const dhcp_state_names[] = {
	[DHCP_INIT] = "INIT", [DHCP_SELECTING] = "SELECTING",
	[DHCP_REQUESTING] = "REQUESTING", [DHCP_REBOOTING] = "REBOOTING",
	[DHCP_BOUND] = "BOUND", [DHCP_RENEWING] = "RENEWING",
	[DHCP_REBINDING] = "REBINDING",
};

const char *dhcp_state_name(enum dhcp_state s)
{
	return (unsigned int)s < sizeof(dhcp_state_names) / sizeof(dhcp_state_names[0]) ?
	       dhcp_state_names[s] : "?";
}

struct dhcp_client *dhcp_client_of(const struct net_device *dev)
{
	for (struct dhcp_client *c = dhcp_clients; c; c = c->next)
		if (c->dev == dev)
			return c;
	return NULL;
}

static void dhcp_set_state(struct dhcp_client *c, enum dhcp_state s)
{
	c->state = s;
}

/* RFC 2131 §4.1: the delay "randomized by the value of a uniform random
 * number chosen from the range -1 to +1" second: here +-base/4. */
static void dhcp_arm_rto(struct dhcp_client *c)
{
	uint64_t j = c->params.rto_base_ns / 4;
	uint64_t r = ((uint64_t)net_random_u32() * (2 * j + 1)) >> 32;
	uint64_t when = net_now_ns() + c->rto_ns + r - j;

	/* A lease held while REBOOTING still expires on time. */
	if (c->have_lease && c->lease.expire_ns < when)
		when = c->lease.expire_ns;
	net_timer_mod(&c->timer, when);
}

/* Opens an exchange in state s: the message sent, its first
 * retransmission after the base interval. */
static void dhcp_exchange(struct dhcp_client *c, enum dhcp_state s, uint8_t type)
{
	uint64_t now = net_now_ns();

	/* Table 5: the REQUEST after an OFFER keeps its 'xid' and continues
	 * the acquisition the 'secs' field counts from. */
	if (s != DHCP_REQUESTING) {
		c->xid = net_random_u32();
		c->start_ns = now;
	}
	c->sent_ns = now;
	c->rto_ns = c->params.rto_base_ns;
	dhcp_set_state(c, s);
	dhcp_send(c, type);
	dhcp_arm_rto(c);
}

/* INIT: discover now, or wait in INIT while the link is down. */
static void dhcp_discover(struct dhcp_client *c)
{
	if (!c->link_up) {
		net_timer_del(&c->timer);
		dhcp_set_state(c, DHCP_INIT);
		return;
	}
	dhcp_exchange(c, DHCP_SELECTING, DHCPDISCOVER);
}

static void dhcp_restart_later(struct dhcp_client *c, uint64_t delay_ns)
{
	dhcp_set_state(c, DHCP_INIT);
	net_timer_mod(&c->timer, net_now_ns() + delay_ns);
}

static void dhcp_route(struct dhcp_client *c, uint32_t router, bool add)
{
	struct fib_config cfg = { .gw = router, .proto = RTPROT_DHCP, .dev = c->dev };
	int err;

	if (!router)
		return;
	err = add ? fib_table_insert(&cfg) : fib_table_delete(&cfg);
	if (add && err) {
		dhcp_stats.ConfigErrors++;
		net_log(4, "dhcp: %s: default route via " IP_FMT ": error %d\n",
			c->dev->name, IP_ARGS(router), err);
	}
}

/* Removes the address and default route of the lease (have_lease); the
 * connected route goes with the address. */
static void dhcp_unconfigure(struct dhcp_client *c)
{
	if (c->params.unbound)
		c->params.unbound(c->dev, &c->lease);
	dhcp_route(c, c->lease.router, false);
	inet_addr_del(c->dev, c->lease.addr);
	c->have_lease = false;
}

static void dhcp_log_lease(const struct dhcp_client *c, const char *what)
{
	const struct dhcp_lease *l = &c->lease;
	char dns[48] = " dns none";

	if (l->n_dns)
		ksnprintf(dns, sizeof(dns), " dns " IP_FMT "%s", IP_ARGS(l->dns[0]),
			  l->n_dns > 1 ? " ..." : "");
	net_log(6, "dhcp: %s: %s " IP_FMT "/%u router " IP_FMT " server " IP_FMT
		"%s lease %u s\n", c->dev->name, what, IP_ARGS(l->addr), l->plen,
		IP_ARGS(l->router), IP_ARGS(l->server), dns, l->lease_s);
}

/* BOUND with lease l: configures what changed, arms T1 (§4.4.5). */
static void dhcp_bind(struct dhcp_client *c, const struct dhcp_lease *l)
{
	bool fresh = !c->have_lease || c->lease.addr != l->addr || c->lease.plen != l->plen;
	int err;

	if (c->have_lease && fresh)
		dhcp_unconfigure(c);
	else if (c->have_lease && c->lease.router != l->router)
		dhcp_route(c, c->lease.router, false);
	if (fresh) {
		err = inet_addr_add(c->dev, l->addr, l->plen);
		if (err) {
			dhcp_stats.ConfigErrors++;
			net_log(3, "dhcp: %s: cannot add " IP_FMT "/%u: error %d\n",
				c->dev->name, IP_ARGS(l->addr), l->plen, err);
			dhcp_restart_later(c, c->params.rto_max_ns);
			return;
		}
	}
	if (fresh || c->lease.router != l->router)
		dhcp_route(c, l->router, true);
	c->lease = *l;
	c->have_lease = true;
	dhcp_set_state(c, DHCP_BOUND);
	if (l->t1_ns != UINT64_MAX)
		net_timer_mod(&c->timer, l->t1_ns);
	else
		net_timer_del(&c->timer);
	dhcp_log_lease(c, fresh ? "bound" : "renewed");
	if (!fresh)
		dhcp_stats.RenewAcks++;
	if (fresh) {
		dhcp_stats.Bounds++;
		if (c->params.bound)
			c->params.bound(c->dev, &c->lease);
	}
}

/* §4.4.5: "If the lease expires before the client receives a DHCPACK,
 * the client moves to INIT state, MUST immediately stop any other network
 * processing and requests network initialization parameters". */
static void dhcp_expire(struct dhcp_client *c)
{
	dhcp_stats.Expiries++;
	net_log(4, "dhcp: %s: lease of " IP_FMT " expired: address%s removed\n",
		c->dev->name, IP_ARGS(c->lease.addr),
		c->lease.router ? " and default route" : "");
	dhcp_unconfigure(c);
	dhcp_discover(c);
}

/* §4.4.5: "the client SHOULD wait one-half of the remaining time until T2
 * (in RENEWING state) and one-half of the remaining lease time (in
 * REBINDING state), down to a minimum of 60 seconds, before
 * retransmitting"; never past the deadline itself. */
static void dhcp_arm_renew(struct dhcp_client *c, uint64_t deadline)
{
	uint64_t now = net_now_ns(), wait = (deadline - now) / 2;

	if (wait < c->params.renew_min_ns)
		wait = c->params.renew_min_ns;
	net_timer_mod(&c->timer, deadline - now < wait ? deadline : now + wait);
}

/* RENEWING, REBINDING: the REQUEST again; while the link is down nothing
 * goes out, so nothing is counted. */
static void dhcp_resend_request(struct dhcp_client *c)
{
	if (!c->link_up)
		return;
	dhcp_stats.Retransmits++;
	dhcp_send(c, DHCPREQUEST);
}

/* BOUND, RENEWING, REBINDING: the lease clock decides. */
static void dhcp_lease_timer(struct dhcp_client *c)
{
	uint64_t now = net_now_ns();
	const char *dev = c->dev->name;

	if (now >= c->lease.expire_ns) {
		dhcp_expire(c);
	} else if (now >= c->lease.t2_ns) {
		/* §4.4.5: at T2 "the client moves to REBINDING state and
		 * sends (via broadcast) a DHCPREQUEST message". */
		if (c->state != DHCP_REBINDING) {
			dhcp_stats.Rebinds++;
			net_log(6, "dhcp: %s: T2: rebinding " IP_FMT "\n", dev, IP_ARGS(c->lease.addr));
			dhcp_exchange(c, DHCP_REBINDING, DHCPREQUEST);
		} else {
			dhcp_resend_request(c);
		}
		dhcp_arm_renew(c, c->lease.expire_ns);
	} else if (now >= c->lease.t1_ns) {
		/* §4.4.5: at T1 "the client moves to RENEWING state and sends
		 * a DHCPREQUEST message to the server". */
		if (c->state != DHCP_RENEWING) {
			dhcp_stats.Renewals++;
			net_log(6, "dhcp: %s: T1: renewing " IP_FMT " with " IP_FMT "\n", dev,
				IP_ARGS(c->lease.addr), IP_ARGS(c->lease.server));
			dhcp_exchange(c, DHCP_RENEWING, DHCPREQUEST);
		} else {
			dhcp_resend_request(c);
		}
		dhcp_arm_renew(c, c->lease.t2_ns);
	} else {
		dhcp_set_state(c, DHCP_BOUND);
		if (c->lease.t1_ns == UINT64_MAX)
			net_timer_del(&c->timer);
		else
			net_timer_mod(&c->timer, c->lease.t1_ns);
	}
}

/* After REBOOTING got no answer: §3.2 step 5, the client "MAY choose to
 * use the previously allocated network address and configuration
 * parameters for the remainder of the unexpired lease". */
static void dhcp_resume_lease(struct dhcp_client *c)
{
	dhcp_set_state(c, DHCP_BOUND);
	dhcp_lease_timer(c);
}

/* SELECTING, REQUESTING, REBOOTING: §4.1 backoff 4, 8, 16, 32, 64 s. */
static void dhcp_retransmit(struct dhcp_client *c)
{
	if (c->state != DHCP_SELECTING && c->rto_ns >= c->params.rto_max_ns) {
		/* §4.4.1: "If the client receives neither a DHCPACK or a
		 * DHCPNAK message after employing the retransmission
		 * algorithm, the client reverts to INIT state". */
		net_log(4, "dhcp: %s: no answer to DHCPREQUEST in %s\n", c->dev->name,
			dhcp_state_name(c->state));
		if (c->state == DHCP_REBOOTING && c->have_lease) {
			dhcp_stats.RebootFallbacks++;
			dhcp_resume_lease(c);
		} else {
			dhcp_discover(c);
		}
		return;
	}
	c->rto_ns *= 2;
	if (c->rto_ns > c->params.rto_max_ns)
		c->rto_ns = c->params.rto_max_ns;
	dhcp_stats.Retransmits++;
	dhcp_send(c, c->state == DHCP_SELECTING ? DHCPDISCOVER : DHCPREQUEST);
	dhcp_arm_rto(c);
}

static void dhcp_timer_fn(struct net_timer *t)
{
	struct dhcp_client *c = (struct dhcp_client *)((char *)t - offsetof(struct dhcp_client, timer));

	if (c->have_lease && net_now_ns() >= c->lease.expire_ns) {
		dhcp_expire(c);
		return;
	}
	switch (c->state) {
	case DHCP_INIT:
		dhcp_discover(c);
		break;
	case DHCP_SELECTING:
	case DHCP_REQUESTING:
	case DHCP_REBOOTING:
		dhcp_retransmit(c);
		break;
	default:
		dhcp_lease_timer(c);
		break;
	}
}

int dhcp_mask_to_plen(uint32_t mask)
{
	unsigned int plen = 0;

	while (plen < 32 && (mask & (0x80000000u >> plen)))
		plen++;
	return mask == inet_make_mask(plen) ? (int)plen : -1;
}

/* The mask to use: option 1, else the address's class (RFC 2131 §4.3.1
 * leaves the mask to the server; RFC 1122 3.3.1.1 classful default). */
static int dhcp_plen(const struct dhcp_msg *m)
{
	uint32_t a = m->yiaddr;

	if (m->have & DHCP_HAVE_MASK)
		return dhcp_mask_to_plen(m->mask);
	return (a >> 31) == 0 ? 8 : (a >> 30) == 2 ? 16 : 24;
}

/* T1/T2 from the ACK or RFC 2131 §4.4.5's defaults: "T1 defaults to
 * (0.5 * duration_of_lease).  T2 defaults to (0.875 *
 * duration_of_lease)"; kept only while T1 < T2 < lease. */
static void dhcp_lease_times(struct dhcp_lease *l, const struct dhcp_msg *m, uint64_t base)
{
	uint32_t s = l->lease_s;

	l->t1_s = (m->have & DHCP_HAVE_T1) ? m->t1 : s / 2;
	l->t2_s = (m->have & DHCP_HAVE_T2) ? m->t2 : (uint32_t)((uint64_t)s * 7 / 8);
	if (!(l->t1_s < l->t2_s && l->t2_s < s)) {
		l->t1_s = s / 2;
		l->t2_s = (uint32_t)((uint64_t)s * 7 / 8);
	}
	if (s == DHCP_LEASE_INFINITE) {
		l->t1_ns = l->t2_ns = l->expire_ns = UINT64_MAX;
		return;
	}
	l->t1_ns = base + l->t1_s * DHCP_NSEC;
	l->t2_ns = base + l->t2_s * DHCP_NSEC;
	l->expire_ns = base + s * DHCP_NSEC;
}

/* Builds the lease an ACK grants.  RFC 2131 Table 3: an ACK to a REQUEST
 * carries 'yiaddr', the lease time and the server identifier ("MUST"). */
static int dhcp_lease_from_ack(const struct dhcp_client *c, const struct dhcp_msg *m,
			       struct dhcp_lease *l)
{
	int plen = dhcp_plen(m);
	uint32_t a = m->yiaddr;

	if (!a || ipv4_is_lbcast(a) || ipv4_is_multicast(a) || ipv4_is_loopback(a) ||
	    ipv4_is_zeronet(a) || plen <= 0 || plen > 32 ||
	    !(m->have & DHCP_HAVE_LEASE) || !(m->have & DHCP_HAVE_SERVER_ID) || !m->lease)
		return -EINVAL;
	memset(l, 0, sizeof(*l));
	l->addr = a;
	l->plen = (uint8_t)plen;
	l->router = (m->have & DHCP_HAVE_ROUTER) ? m->router : 0;
	l->server = m->server_id;
	l->n_dns = m->n_dns;
	memcpy(l->dns, m->dns, sizeof(l->dns));
	l->lease_s = m->lease;
	dhcp_lease_times(l, m, c->sent_ns);
	return 0;
}

static void dhcp_bad_lease(void)
{
	dhcp_stats.BadPackets++;
	dhcp_stats.BadLease++;
}

static void dhcp_on_offer(struct dhcp_client *c, const struct dhcp_msg *m)
{
	/* Table 3: an OFFER carries 'yiaddr' and the server identifier. */
	if (!m->yiaddr || !(m->have & DHCP_HAVE_SERVER_ID)) {
		dhcp_bad_lease();
		return;
	}
	c->offer_addr = m->yiaddr;
	c->offer_server = m->server_id;
	dhcp_exchange(c, DHCP_REQUESTING, DHCPREQUEST);
}

static void dhcp_on_ack(struct dhcp_client *c, const struct dhcp_msg *m)
{
	struct dhcp_lease l;

	if (dhcp_lease_from_ack(c, m, &l)) {
		dhcp_bad_lease();
		return;
	}
	dhcp_bind(c, &l);
}

/* §4.4.1: "If the client receives a DHCPNAK message, the client restarts
 * the configuration process"; what it held is no longer valid. */
static void dhcp_on_nak(struct dhcp_client *c, const struct dhcp_msg *m)
{
	net_log(4, "dhcp: %s: DHCPNAK from " IP_FMT " in %s%s%s: restarting\n", c->dev->name,
		IP_ARGS(m->server_id), dhcp_state_name(c->state),
		c->have_lease ? ", address" : "",
		!c->have_lease ? "" : c->lease.router ? " and default route removed" : " removed");
	if (c->have_lease)
		dhcp_unconfigure(c);
	dhcp_restart_later(c, c->params.rto_base_ns);
}

void dhcp_input(struct dhcp_client *c, const struct dhcp_msg *m)
{
	bool requesting = c->state == DHCP_REQUESTING || c->state == DHCP_REBOOTING ||
			  c->state == DHCP_RENEWING || c->state == DHCP_REBINDING;

	/* §4.4.1: the client matches replies by 'xid' (and 'chaddr'). */
	if (m->op != BOOTREPLY || m->xid != c->xid || m->hlen != 6 ||
	    memcmp(m->chaddr, c->dev->dev_addr, 6)) {
		dhcp_stats.WrongXid++;
		return;
	}
	if (m->type == DHCPOFFER)
		dhcp_stats.Offers++;
	else if (m->type == DHCPACK)
		dhcp_stats.Acks++;
	else if (m->type == DHCPNAK)
		dhcp_stats.Naks++;
	if (m->type == DHCPOFFER && c->state == DHCP_SELECTING)
		dhcp_on_offer(c, m);
	else if (m->type == DHCPACK && requesting)
		dhcp_on_ack(c, m);
	else if (m->type == DHCPNAK && requesting)
		dhcp_on_nak(c, m);
	else
		dhcp_stats.Unexpected++;
}

/* Carrier back (or the device up again): INIT-REBOOT for the address we
 * hold (§3.2), else discover. */
static void dhcp_link_up(struct dhcp_client *c)
{
	c->link_up = true;
	if (c->was_up) {
		dhcp_stats.LinkRestarts++;
		net_log(6, "dhcp: %s: link up: %s\n", c->dev->name,
			c->have_lease ? "confirming the lease (INIT-REBOOT)" : "discovering");
	}
	c->was_up = true;
	if (c->have_lease)
		dhcp_exchange(c, DHCP_REBOOTING, DHCPREQUEST);
	else
		dhcp_discover(c);
}

/* Link gone: a lease keeps running on its clock (nothing is sent while
 * the link is down); an exchange without one stops.  BOUND, RENEWING and
 * REBINDING already follow that clock: restarting them would count and
 * log T1 or T2 a second time and begin a new transaction. */
static void dhcp_link_down(struct dhcp_client *c)
{
	c->link_up = false;
	if (!c->have_lease)
		dhcp_discover(c);
	else if (c->state == DHCP_REBOOTING)
		dhcp_resume_lease(c);
}

static void dhcp_link_event(struct dhcp_client *c)
{
	bool up = netif_running(c->dev) && netif_carrier_ok(c->dev);

	if (up && !c->link_up)
		dhcp_link_up(c);
	else if (!up && c->link_up)
		dhcp_link_down(c);
}

static int dhcp_netdev_event(struct notifier_block *nb, unsigned long event, void *data)
{
	struct net_device *dev = data;
	struct dhcp_client *c = dhcp_client_of(dev);

	(void)nb;
	if (!c)
		return NOTIFY_DONE;
	if (event == NETDEV_UNREGISTER)
		dhcp_stop(dev);
	else if (event == NETDEV_UP || event == NETDEV_DOWN || event == NETDEV_CHANGE)
		dhcp_link_event(c);
	return NOTIFY_OK;
}

static struct notifier_block dhcp_netdev_nb = {
	.notifier_call = dhcp_netdev_event,
};

int dhcp_start(struct net_device *dev, const struct dhcp_params *params)
{
	struct dhcp_client *c;

	if (dhcp_client_of(dev))
		return -EBUSY;
	c = net_alloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->dev = dev;
	if (params)
		c->params = *params;
	if (!c->params.rto_base_ns)
		c->params.rto_base_ns = DHCP_RTO_BASE_NS;
	if (!c->params.rto_max_ns)
		c->params.rto_max_ns = DHCP_RTO_MAX_NS;
	if (!c->params.renew_min_ns)
		c->params.renew_min_ns = DHCP_RENEW_MIN_NS;
	net_timer_init(&c->timer, dhcp_timer_fn);
	if (!dhcp_clients) {
		int err = dhcp_sock_open();

		if (err) {
			net_free(c);
			return err;
		}
	}
	mib_register(&dhcp_mib_entry);
	c->next = dhcp_clients;
	dhcp_clients = c;
	/* Registration replays NETDEV_UP for a device already up. */
	if (!c->next)
		register_netdevice_notifier(&dhcp_netdev_nb);
	dhcp_link_event(c);
	return 0;
}

void dhcp_stop(struct net_device *dev)
{
	struct dhcp_client **pp, *c;

	for (pp = &dhcp_clients; *pp && (*pp)->dev != dev; pp = &(*pp)->next)
		;
	c = *pp;
	if (!c)
		return;
	*pp = c->next;
	net_timer_del(&c->timer);
	if (c->have_lease)
		dhcp_unconfigure(c);
	net_free(c);
	if (!dhcp_clients) {
		unregister_netdevice_notifier(&dhcp_netdev_nb);
		dhcp_sock_close();
	}
}

enum dhcp_state dhcp_get_state(const struct net_device *dev)
{
	const struct dhcp_client *c = dhcp_client_of(dev);

	return c ? c->state : DHCP_INIT;
}

const struct dhcp_lease *dhcp_get_lease(const struct net_device *dev)
{
	const struct dhcp_client *c = dhcp_client_of(dev);

	return c && c->have_lease ? &c->lease : NULL;
}
