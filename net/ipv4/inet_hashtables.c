/*
 * Bind, listening, established and timewait tables for TCP
 * (inet_hashtables.h).
 *
 * Each table is an array of intrusive chains (struct sk_node); the
 * established and timewait tables are indexed by a keyed hash of the
 * 4-tuple so a remote peer cannot aim its connections at one chain.
 */
#include "net/ipv4/inet_hashtables.h"

#include "kernel/errno.h"
#include "net/core/sock.h"
#include "net/ipv4/tcp.h"
#include "net/platform.h"

#define EHASH_SIZE	16384u
#define LHASH_SIZE	64u
#define BHASH_SIZE	4096u
#define TWHASH_SIZE	4096u

static struct sk_node *ehash[EHASH_SIZE];
static struct sk_node *lhash[LHASH_SIZE];
static struct sk_node *bhash[BHASH_SIZE];
static struct sk_node *twhash[TWHASH_SIZE];
static uint64_t ehash_key;
static unsigned int ehash_count, twhash_count;

#define tw_from_node(n) \
	((struct tcp_timewait_sock *)((char *)(n) - offsetof(struct tcp_timewait_sock, tw_node)))

void inet_hashinfo_init(void)
{
	net_random_bytes(&ehash_key, sizeof(ehash_key));
}

unsigned int inet_ehash_count(void)
{
	return ehash_count;
}

/* A keyed mix of the 4-tuple (reduce it modulo a table size). */
static uint64_t inet_tuple_hash(uint32_t laddr, uint16_t lport, uint32_t faddr, uint16_t fport)
{
	uint64_t h = ((uint64_t)laddr << 32 | faddr) ^ ehash_key;

	h ^= (uint64_t)lport << 16 | fport;
	h *= 0x9e3779b97f4a7c15ull;
	h ^= h >> 31;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 29;
	return h;
}

static unsigned int inet_ehashfn(uint32_t laddr, uint16_t lport, uint32_t faddr, uint16_t fport)
{
	return (unsigned int)(inet_tuple_hash(laddr, lport, faddr, fport) % EHASH_SIZE);
}

static struct sk_node **inet_ehash_bucket(const struct sock *sk)
{
	return &ehash[inet_ehashfn(sk->sk_rcv_saddr, sk->sk_num, sk->sk_daddr, sk->sk_dport)];
}

void inet_ehash_insert(struct sock *sk)
{
	sock_hold(sk);
	sk_node_add(&sk->sk_node, inet_ehash_bucket(sk));
	ehash_count++;
}

void inet_lhash_insert(struct sock *sk)
{
	sock_hold(sk);
	sk_node_add(&sk->sk_node, &lhash[sk->sk_num % LHASH_SIZE]);
}

void inet_unhash(struct sock *sk)
{
	if (!sk_node_hashed(&sk->sk_node))
		return;
	if (sk->sk_state != TCP_LISTEN)
		ehash_count--;
	sk_node_del(&sk->sk_node);
	sock_put(sk);
}

struct sock *inet_lookup_established(uint32_t saddr, uint16_t sport, uint32_t daddr,
				     uint16_t dport)
{
	struct sk_node *n = ehash[inet_ehashfn(daddr, dport, saddr, sport)];

	for (; n; n = n->next) {
		struct sock *sk = sk_from_node(n);

		if (sk->sk_num == dport && sk->sk_dport == sport &&
		    sk->sk_daddr == saddr && sk->sk_rcv_saddr == daddr)
			return sk;
	}
	return NULL;
}

struct sock *inet_lookup_listener(uint32_t daddr, uint16_t dport)
{
	struct sock *wild = NULL;
	struct sk_node *n;

	for (n = lhash[dport % LHASH_SIZE]; n; n = n->next) {
		struct sock *sk = sk_from_node(n);

		if (sk->sk_num != dport)
			continue;
		if (sk->sk_rcv_saddr == daddr)
			return sk;
		if (sk->sk_rcv_saddr == 0)
			wild = sk;
	}
	return wild;
}

static struct sk_node **inet_twhash_bucket(uint32_t laddr, uint16_t lport, uint32_t faddr,
					   uint16_t fport)
{
	return &twhash[inet_tuple_hash(laddr, lport, faddr, fport) % TWHASH_SIZE];
}

void inet_twsk_hash(struct tcp_timewait_sock *tw)
{
	sk_node_add(&tw->tw_node, inet_twhash_bucket(tw->tw_rcv_saddr, tw->tw_num, tw->tw_daddr,
						     tw->tw_dport));
	twhash_count++;
}

void inet_twsk_unhash(struct tcp_timewait_sock *tw)
{
	if (!sk_node_hashed(&tw->tw_node))
		return;
	sk_node_del(&tw->tw_node);
	twhash_count--;
}

struct tcp_timewait_sock *inet_lookup_timewait(uint32_t saddr, uint16_t sport, uint32_t daddr,
					       uint16_t dport)
{
	struct sk_node *n = *inet_twhash_bucket(daddr, dport, saddr, sport);

	for (; n; n = n->next) {
		struct tcp_timewait_sock *tw = tw_from_node(n);

		if (tw->tw_num == dport && tw->tw_dport == sport &&
		    tw->tw_daddr == saddr && tw->tw_rcv_saddr == daddr)
			return tw;
	}
	return NULL;
}

int inet_twsk_walk(int (*fn)(const struct tcp_timewait_sock *tw, void *arg), void *arg)
{
	for (unsigned int i = 0; i < TWHASH_SIZE; i++) {
		for (struct sk_node *n = twhash[i]; n; n = n->next) {
			int r = fn(tw_from_node(n), arg);

			if (r)
				return r;
		}
	}
	return 0;
}

unsigned int inet_twsk_count(void)
{
	return twhash_count;
}

/* fn on every sock of the size chains at table; stops on non-zero. */
static int inet_table_walk(struct sk_node **table, unsigned int size,
			   int (*fn)(struct sock *sk, void *arg), void *arg)
{
	for (unsigned int i = 0; i < size; i++) {
		for (struct sk_node *n = table[i]; n; n = n->next) {
			int r = fn(sk_from_node(n), arg);

			if (r)
				return r;
		}
	}
	return 0;
}

int inet_hash_walk(int (*fn)(struct sock *sk, void *arg), void *arg)
{
	int r = inet_table_walk(lhash, LHASH_SIZE, fn, arg);

	return r ? r : inet_table_walk(ehash, EHASH_SIZE, fn, arg);
}

static struct sk_node **inet_bhash_bucket(uint16_t port)
{
	return &bhash[port % BHASH_SIZE];
}

/* Would sk and owner, both on the same port, conflict? */
static bool inet_bind_conflict(const struct sock *sk, const struct sock *owner)
{
	bool user = sk->sk_userlocks & SOCK_BINDPORT_LOCK;
	bool owner_user = owner->sk_userlocks & SOCK_BINDPORT_LOCK;

	if (sk->sk_rcv_saddr && owner->sk_rcv_saddr && sk->sk_rcv_saddr != owner->sk_rcv_saddr)
		return false;
	if (!user && !owner_user)
		return false;		/* both from connect: 4-tuples differ */
	if (sk->sk_reuse && owner->sk_reuse && owner->sk_state != TCP_LISTEN)
		return false;
	return true;
}

static bool inet_port_conflicts(const struct sock *sk, uint16_t port)
{
	struct sk_node *n;

	for (n = *inet_bhash_bucket(port); n; n = n->next) {
		const struct sock *owner = sk_from_bind_node(n);

		if (owner != sk && owner->sk_num == port && inet_bind_conflict(sk, owner))
			return true;
	}
	return false;
}

static void inet_bind_port(struct sock *sk, uint16_t port)
{
	sk->sk_num = port;
	sk_node_add(&sk->sk_bind_node, inet_bhash_bucket(port));
}

int inet_csk_get_port(struct sock *sk, uint16_t snum)
{
	uint32_t range = INET_EPHEMERAL_HIGH - INET_EPHEMERAL_LOW + 1;
	uint32_t off, i;

	if (snum) {
		if (inet_port_conflicts(sk, snum))
			return -EADDRINUSE;
		inet_bind_port(sk, snum);
		return 0;
	}
	off = net_random_u32() % range;
	for (i = 0; i < range; i++) {
		uint16_t port = (uint16_t)(INET_EPHEMERAL_LOW + (off + i) % range);

		if (!inet_port_conflicts(sk, port) && !*inet_bhash_bucket(port)) {
			inet_bind_port(sk, port);
			return 0;
		}
	}
	for (i = 0; i < range; i++) {
		uint16_t port = (uint16_t)(INET_EPHEMERAL_LOW + (off + i) % range);

		if (!inet_port_conflicts(sk, port)) {
			inet_bind_port(sk, port);
			return 0;
		}
	}
	return -EADDRINUSE;
}

void inet_inherit_port(struct sock *child, const struct sock *parent)
{
	child->sk_reuse = parent->sk_reuse;
	child->sk_userlocks |= parent->sk_userlocks & SOCK_BINDPORT_LOCK;
	inet_bind_port(child, parent->sk_num);
}

void inet_put_port(struct sock *sk)
{
	sk_node_del(&sk->sk_bind_node);
	if (!(sk->sk_userlocks & SOCK_BINDPORT_LOCK))
		sk->sk_num = 0;
}

static bool inet_tuple_used(const struct sock *sk, uint16_t lport)
{
	return inet_lookup_established(sk->sk_daddr, sk->sk_dport, sk->sk_rcv_saddr, lport) ||
	       inet_lookup_timewait(sk->sk_daddr, sk->sk_dport, sk->sk_rcv_saddr, lport);
}

int inet_hash_connect(struct sock *sk)
{
	uint32_t range = INET_EPHEMERAL_HIGH - INET_EPHEMERAL_LOW + 1;
	uint32_t off, i;

	if (sk->sk_num) {
		if (inet_tuple_used(sk, sk->sk_num))
			return -EADDRINUSE;
		inet_ehash_insert(sk);
		return 0;
	}
	off = net_random_u32() % range;
	for (i = 0; i < range; i++) {
		uint16_t port = (uint16_t)(INET_EPHEMERAL_LOW + (off + i) % range);

		if (inet_port_conflicts(sk, port) || inet_tuple_used(sk, port))
			continue;
		inet_bind_port(sk, port);
		inet_ehash_insert(sk);
		return 0;
	}
	return -EADDRNOTAVAIL;
}
