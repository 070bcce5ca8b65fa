/*
 * Bind, listening and established tables for TCP (inet_hashtables.h).
 *
 * Each table is an array of intrusive chains (struct sk_node); the
 * established table is indexed by a keyed hash of the 4-tuple so a remote
 * peer cannot aim its connections at one chain.
 */
#include "net/ipv4/inet_hashtables.h"

#include "kernel/errno.h"
#include "net/core/sock.h"
#include "net/platform.h"

#define EHASH_SIZE	16384u
#define LHASH_SIZE	64u
#define BHASH_SIZE	4096u

static struct sk_node *ehash[EHASH_SIZE];
static struct sk_node *lhash[LHASH_SIZE];
static struct sk_node *bhash[BHASH_SIZE];
static uint64_t ehash_key;
static unsigned int ehash_count;

void inet_hashinfo_init(void)
{
	net_random_bytes(&ehash_key, sizeof(ehash_key));
}

unsigned int inet_ehash_count(void)
{
	return ehash_count;
}

static unsigned int inet_ehashfn(uint32_t laddr, uint16_t lport, uint32_t faddr, uint16_t fport)
{
	uint64_t h = ((uint64_t)laddr << 32 | faddr) ^ ehash_key;

	h ^= (uint64_t)lport << 16 | fport;
	h *= 0x9e3779b97f4a7c15ull;
	h ^= h >> 31;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 29;
	return (unsigned int)(h % EHASH_SIZE);
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
	return inet_lookup_established(sk->sk_daddr, sk->sk_dport, sk->sk_rcv_saddr, lport) != NULL;
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
