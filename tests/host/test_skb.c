/*
 * sk_buff: geometry, header offsets, clones and sharing, copies, head
 * expansion, nonlinear skbs (frag lists), queues, and accounting that
 * returns to its baseline, also when allocations fail.
 */
#include "net/core/skbuff.h"

#include "kernel/errno.h"
#include "tests/host/check.h"
#include "tests/host/net_platform_host.h"

static struct skb_accounting base;

static void check_baseline(void)
{
	const struct skb_accounting *a = skb_accounting();

	CHECK_EQ(a->skbs_alive, base.skbs_alive);
	CHECK_EQ(a->data_alive, base.data_alive);
	CHECK_EQ(a->data_bytes, base.data_bytes);
}

static void test_geometry(void)
{
	struct sk_buff *skb = alloc_skb(MAX_HEADER + 100);
	unsigned char *p;

	CHECK(skb != NULL);
	CHECK_EQ(skb->len, 0);
	CHECK(skb_tailroom(skb) >= MAX_HEADER + 100);
	skb_reserve(skb, MAX_HEADER);
	CHECK_EQ(skb_headroom(skb), MAX_HEADER);

	p = skb_put(skb, 100);
	CHECK(p == skb->head + MAX_HEADER);
	memset(p, 0xab, 100);
	CHECK_EQ(skb->len, 100);
	skb_reset_transport_header(skb);

	p = skb_push(skb, 20);
	CHECK(p == skb->head + MAX_HEADER - 20);
	skb_reset_network_header(skb);
	CHECK_EQ(skb_transport_offset(skb), 20);
	CHECK_EQ(skb_network_offset(skb), 0);
	p = skb_push(skb, 14);
	skb_reset_mac_header(skb);
	CHECK_EQ(skb->len, 134);
	CHECK(skb_mac_header(skb) == p);
	CHECK_EQ(skb_mac_len_to_tail(skb), 134);

	/* Refusals leave the skb as it was. */
	CHECK(skb_push(skb, skb_headroom(skb) + 1) == NULL);
	CHECK(skb_put(skb, skb_tailroom(skb) + 1) == NULL);
	CHECK(skb_pull(skb, 135) == NULL);
	CHECK_EQ(skb->len, 134);

	CHECK(skb_pull(skb, 14) == skb->head + MAX_HEADER - 20);
	CHECK_EQ(skb_network_offset(skb), 0);
	CHECK(skb_may_pull(skb, 120));
	CHECK(!skb_may_pull(skb, 121));
	skb_trim(skb, 50);
	CHECK_EQ(skb->len, 50);
	CHECK(skb->tail == skb->data + 50);
	skb_trim(skb, 80);
	CHECK_EQ(skb->len, 50);

	uint8_t buf[8];
	CHECK_EQ(skb_copy_bits(skb, 20, buf, 8), 0);
	CHECK_EQ(buf[0], 0xab);
	CHECK_EQ(skb_copy_bits(skb, 45, buf, 8), -EFAULT);
	CHECK_EQ(skb_copy_bits(skb, 0xffffffffu, buf, 2), -EFAULT);
	kfree_skb(skb);
	check_baseline();
}

static void test_put_helpers(void)
{
	struct sk_buff *skb = alloc_skb(64);
	const char msg[] = "hello";

	CHECK(skb_put_data(skb, msg, 5) == skb->data);
	CHECK(!memcmp(skb->data, "hello", 5));
	CHECK(skb_put_zero(skb, 3) == skb->data + 5);
	CHECK_EQ(skb->data[7], 0);
	CHECK(skb_put_data(skb, msg, 4096) == NULL);
	CHECK(skb_put_zero(skb, 4096) == NULL);
	/* skb_reserve only on an empty skb */
	skb_reserve(skb, 4);
	CHECK_EQ(skb_headroom(skb), 0);
	kfree_skb(skb);
	kfree_skb(NULL);
	check_baseline();
}

static void test_clone(void)
{
	struct sk_buff *skb = alloc_skb(256), *c1, *c2;
	const struct skb_accounting *a = skb_accounting();

	skb_reserve(skb, 64);
	memcpy(skb_put(skb, 10), "0123456789", 10);
	CHECK(!skb_cloned(skb));

	c1 = skb_clone(skb);
	c2 = skb_clone(skb);
	CHECK(c1 && c2);
	CHECK_EQ(a->skbs_alive, base.skbs_alive + 3);
	CHECK_EQ(a->data_alive, base.data_alive + 1);
	CHECK(c1->data == skb->data);
	CHECK(skb_cloned(skb) && skb_cloned(c1));

	/* Geometry is per skb even though data is shared. */
	skb_pull(c1, 4);
	CHECK_EQ(c1->len, 6);
	CHECK_EQ(skb->len, 10);

	kfree_skb(skb);
	CHECK_EQ(a->data_alive, base.data_alive + 1);
	kfree_skb(c2);
	CHECK(!skb_cloned(c1));		/* last user: private again */
	CHECK(!memcmp(c1->data, "456789", 6));
	kfree_skb(c1);
	check_baseline();
}

static void test_unshare_and_cow(void)
{
	struct sk_buff *skb = alloc_skb(128), *c, *u;

	skb_reserve(skb, 16);
	memcpy(skb_put(skb, 4), "abcd", 4);
	skb_reset_network_header(skb);
	skb->priority = 6;
	skb->cb[0] = 'x';

	CHECK(skb_unshare(skb) == skb);		/* not shared: the same skb */
	c = skb_clone(skb);
	u = skb_unshare(c);			/* c is consumed */
	CHECK(u != NULL && u != skb);
	CHECK(!skb_cloned(u) && !skb_cloned(skb));
	u->data[0] = 'A';
	CHECK_EQ(skb->data[0], 'a');
	CHECK_EQ(u->priority, 6);
	CHECK_EQ(u->cb[0], 'x');
	CHECK_EQ(skb_headroom(u), 16);
	CHECK_EQ(skb_network_offset(u), 0);
	kfree_skb(u);

	/* cow_head: needs 100 bytes of headroom; offsets follow the move. */
	c = skb_clone(skb);
	CHECK_EQ(skb_cow_head(c, 100), 0);
	CHECK(skb_headroom(c) >= 100);
	CHECK(!skb_cloned(c));
	CHECK_EQ(skb_network_offset(c), 0);
	CHECK(!memcmp(c->data, "abcd", 4));
	CHECK(c->data != skb->data);
	CHECK_EQ(skb_cow_head(c, 10), 0);	/* already fine: no realloc */
	kfree_skb(c);

	CHECK_EQ(skb_expand_head(skb, 0, 5000), 0);	/* big: net_alloc path */
	CHECK(skb_tailroom(skb) >= 5000);
	CHECK(!memcmp(skb->data, "abcd", 4));
	CHECK_EQ(skb_expand_head(skb, 0xffffffffu, 0), -ENOMEM);
	kfree_skb(skb);
	check_baseline();
}

static void test_copy(void)
{
	struct sk_buff *skb = alloc_skb(3000), *c;

	skb_reserve(skb, 200);
	memset(skb_put(skb, 2500), 7, 2500);
	skb_reset_mac_header(skb);
	skb_pull(skb, 14);
	skb->protocol = 0x0008;
	c = skb_copy(skb);
	CHECK(c != NULL);
	CHECK_EQ(c->len, 2486);
	CHECK_EQ(skb_headroom(c), 214);
	CHECK_EQ(c->mac_header, skb->mac_header);
	CHECK_EQ(c->protocol, 0x0008);
	CHECK(!memcmp(c->data, skb->data, c->len));
	CHECK(!skb_cloned(skb));
	kfree_skb(c);
	kfree_skb(skb);
	check_baseline();
}

static struct dst_entry *destroyed;

static void dst_destroy(struct dst_entry *dst)
{
	destroyed = dst;
}

static int owner_destructs;

static void owner_destructor(struct sk_buff *skb)
{
	(void)skb;
	owner_destructs++;
}

static void test_dst_and_owner(void)
{
	struct dst_entry dst = { .destroy = dst_destroy, .refcnt = 1 };
	struct sk_buff *skb = alloc_skb(64), *c;

	skb_dst_set(skb, dst_hold(&dst));
	skb->destructor = owner_destructor;
	c = skb_clone(skb);
	CHECK(c->destructor == NULL);	/* a clone does not own socket memory */
	CHECK_EQ(dst.refcnt, 3);
	kfree_skb(skb);
	CHECK_EQ(owner_destructs, 1);
	kfree_skb(c);
	CHECK_EQ(dst.refcnt, 1);
	CHECK(destroyed == NULL);
	dst_release(&dst);
	CHECK(destroyed == &dst);
	check_baseline();
}

static void test_queue(void)
{
	struct sk_buff_head q;
	struct sk_buff *s[4], *it;
	int i, n = 0;

	skb_queue_head_init(&q);
	CHECK(skb_queue_empty(&q));
	CHECK(skb_dequeue(&q) == NULL);
	CHECK(skb_dequeue_tail(&q) == NULL);
	for (i = 0; i < 4; i++) {
		s[i] = alloc_skb(32);
		s[i]->priority = (uint32_t)i;
	}
	skb_queue_tail(&q, s[1]);
	skb_queue_tail(&q, s[2]);
	skb_queue_head(&q, s[0]);
	skb_queue_tail(&q, s[3]);
	CHECK_EQ(skb_queue_len(&q), 4);
	CHECK(skb_peek(&q) == s[0]);
	skb_queue_walk(&q, it)
		CHECK_EQ(it->priority, n++);
	CHECK_EQ(n, 4);
	skb_unlink(s[2], &q);
	CHECK_EQ(skb_queue_len(&q), 3);
	CHECK(skb_dequeue_tail(&q) == s[3]);
	CHECK(skb_dequeue(&q) == s[0]);
	CHECK(skb_dequeue(&q) == s[1]);
	CHECK(skb_queue_empty(&q));
	skb_queue_tail(&q, s[0]);
	skb_queue_tail(&q, s[1]);
	skb_queue_tail(&q, s[2]);
	skb_queue_tail(&q, s[3]);
	skb_queue_purge(&q);
	CHECK(skb_queue_empty(&q));
	CHECK_EQ(skb_queue_len(&q), 0);
	check_baseline();
}

/* A linear skb holding len bytes of text from off on. */
static struct sk_buff *frag_of(const char *text, unsigned int off, unsigned int len)
{
	struct sk_buff *f = alloc_skb(len ? len : 1);

	memcpy(skb_put(f, len), text + off, len);
	return f;
}

/* A header with three frags (one empty): lengths, copies across every
 * boundary, clones that share the frags' buffers, linear copies, head
 * expansion keeping the list, and linear-only helpers refusing. */
static void test_frag_list(void)
{
	static const char text[] = "HDR:abcdefghij0123456789ABCDEF";
	struct sk_buff *skb = alloc_skb(64), *wq = frag_of(text, 4, 10), *c, *l;
	const struct skb_accounting *a = skb_accounting();
	char out[sizeof(text)];

	skb_reserve(skb, 16);
	memcpy(skb_put(skb, 4), text, 4);
	skb_add_frag(skb, skb_clone(wq));	/* shares wq's buffer */
	skb_add_frag(skb, frag_of(text, 14, 0));
	skb_add_frag(skb, frag_of(text, 14, 16));
	CHECK(skb_is_nonlinear(skb));
	CHECK_EQ(skb->len, 30);
	CHECK_EQ(skb->data_len, 26);
	CHECK_EQ(skb_headlen(skb), 4);
	CHECK(skb_cloned(wq));
	for (unsigned int off = 0; off <= 30; off++) {
		memset(out, 0, sizeof(out));
		CHECK_EQ(skb_copy_bits(skb, off, out, 30 - off), 0);
		CHECK(!memcmp(out, text + off, 30 - off));
	}
	CHECK_EQ(skb_copy_bits(skb, 29, out, 2), -EFAULT);
	CHECK(skb_put(skb, 1) == NULL);
	skb_trim(skb, 2);
	CHECK_EQ(skb->len, 30);
	CHECK(skb_pull(skb, 5) == NULL);
	CHECK(!skb_may_pull(skb, 5));

	c = skb_clone(skb);
	CHECK(c && c->frag_list && c->frag_list != skb->frag_list);
	CHECK(c->frag_list->data == skb->frag_list->data);
	l = skb_copy(skb);
	CHECK(l && !skb_is_nonlinear(l));
	CHECK_EQ(l->len, 30);
	CHECK(!memcmp(l->data, text, 30));
	CHECK_EQ(skb_headroom(l), 16);
	CHECK_EQ(skb_cow_head(skb, 0), 0);	/* cloned: private head, same frags */
	CHECK_EQ(skb->len, 30);
	CHECK_EQ(skb_copy_bits(skb, 0, out, 30), 0);
	CHECK(!memcmp(out, text, 30));

	kfree_skb(wq);				/* the payload lives on in the frags */
	kfree_skb(skb);
	CHECK_EQ(skb_copy_bits(c, 0, out, 30), 0);
	CHECK(!memcmp(out, text, 30));
	kfree_skb(c);
	kfree_skb(l);
	CHECK_EQ(a->skbs_alive, base.skbs_alive);
	check_baseline();

	/* a clone whose frags cannot all be cloned fails whole */
	skb = alloc_skb(64);
	skb_add_frag(skb, frag_of(text, 0, 8));
	skb_add_frag(skb, frag_of(text, 8, 8));
	host_alloc_fail_after(2);		/* the clone and its first frag */
	CHECK(skb_clone(skb) == NULL);
	host_alloc_fail_after(-1);
	kfree_skb(skb);
	check_baseline();
}

static void test_alloc_failure(void)
{
	struct sk_buff *skb = alloc_skb(64), *c;
	uint64_t fails = skb_accounting()->alloc_failures;

	host_alloc_fail_after(0);
	CHECK(alloc_skb(64) == NULL);
	CHECK(skb_clone(skb) == NULL);
	CHECK(skb_copy(skb) == NULL);
	CHECK_EQ(skb_expand_head(skb, 64, 0), -ENOMEM);
	host_alloc_fail_after(1);	/* struct succeeds, buffer fails */
	CHECK(alloc_skb(64) == NULL);
	host_alloc_fail_after(-1);
	CHECK(skb_accounting()->alloc_failures > fails);
	CHECK(alloc_skb(1u << 21) == NULL);	/* absurd size refused */

	c = skb_clone(skb);
	host_alloc_fail_after(0);
	CHECK(skb_unshare(c) == NULL);		/* consumed even on failure */
	host_alloc_fail_after(-1);
	kfree_skb(skb);
	check_baseline();
}

int main(void)
{
	/* Create the caches, then take the baseline. */
	kfree_skb(alloc_skb(1));
	base = *skb_accounting();

	test_geometry();
	test_put_helpers();
	test_clone();
	test_unshare_and_cow();
	test_copy();
	test_dst_and_owner();
	test_frag_list();
	test_queue();
	test_alloc_failure();

	struct host_alloc_stats st;
	host_alloc_stats(&st);
	CHECK_EQ(st.alloc_alive, 0);
	CHECK_EQ(st.cache_alive, 0);
	return check_report();
}
