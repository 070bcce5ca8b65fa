/*
 * Packet capture: frames received on and sent through a fake NIC, and
 * looped through lo, are written as pcap records to a memory sink; the
 * test parses the stream back (global header once, records in order,
 * timestamps, snaplen cut, a nonlinear frame whole, loopback frames once).
 *
 * With `--dump FILE` it also writes the stream to FILE, for
 * tests/host/test_pcap_tool.py, which runs tools/pcap on it.
 */
#include "net/core/pcap.h"

#include <stdio.h>
#include <stdlib.h>

#include "drivers/net/loopback.h"
#include "kernel/errno.h"
#include "net/core/byteorder.h"
#include "net/ethernet/eth.h"
#include "tests/host/check.h"
#include "tests/host/net_fake_dev.h"
#include "tests/host/net_platform_host.h"

#define ETH_P_TEST 0x88b6

static uint8_t stream[1 << 20];
static size_t stream_len;

static void sink(void *ctx, const void *buf, size_t len)
{
	CHECK(ctx == stream);
	CHECK(stream_len + len <= sizeof(stream));
	memcpy(stream + stream_len, buf, len);
	stream_len += len;
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static struct sk_buff *tx_frame(struct net_device *dev, uint8_t tag, unsigned int len)
{
	static const uint8_t peer[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x99 };
	struct sk_buff *skb = alloc_skb(MAX_HEADER + len);

	skb_reserve(skb, MAX_HEADER);
	memset(skb_put(skb, len), tag, len);
	skb->dev = dev;
	dev_hard_header(skb, dev, ETH_P_TEST, dev->flags & IFF_LOOPBACK ? NULL : peer,
			NULL, len);
	return skb;
}

/* A nonlinear frame: 10 bytes 0x55 in the linear part, then frags of 600
 * bytes 0x66 and 600 bytes 0x77. */
static struct sk_buff *tx_frame_frags(struct net_device *dev)
{
	struct sk_buff *skb = tx_frame(dev, 0x55, 10);

	for (uint8_t tag = 0x66; tag <= 0x77; tag += 0x11) {
		struct sk_buff *f = alloc_skb(600);

		memset(skb_put(f, 600), tag, 600);
		skb_add_frag(skb, f);
	}
	return skb;
}

struct rec {
	uint32_t sec, usec, incl, orig;
	const uint8_t *data;
};

/* Parses record i of the stream; false past the end. */
static bool record(size_t i, struct rec *r)
{
	size_t off = PCAP_GLOBAL_HDR_LEN;

	for (;;) {
		if (off + PCAP_RECORD_HDR_LEN > stream_len)
			return false;
		r->sec = le32(stream + off);
		r->usec = le32(stream + off + 4);
		r->incl = le32(stream + off + 8);
		r->orig = le32(stream + off + 12);
		r->data = stream + off + PCAP_RECORD_HDR_LEN;
		if (!i--)
			return off + PCAP_RECORD_HDR_LEN + r->incl <= stream_len;
		off += PCAP_RECORD_HDR_LEN + r->incl;
	}
}

static void test_capture(void)
{
	struct fake_dev *fd = fake_dev_create(1);
	uint8_t frame[100], payload[86];
	struct rec r;

	CHECK_EQ(loopback_init(), 0);
	host_clock_advance(3 * 1000000000ull + 250000);		/* t = 3.000250 s */
	CHECK_EQ(pcap_start(sink, stream, 1000), 0);
	CHECK_EQ(pcap_start(sink, stream, 1000), -EBUSY);
	CHECK_EQ(stream_len, PCAP_GLOBAL_HDR_LEN);
	CHECK_EQ(le32(stream), PCAP_MAGIC);
	CHECK_EQ(stream[4] | stream[5] << 8, 2);
	CHECK_EQ(stream[6] | stream[7] << 8, 4);
	CHECK_EQ(le32(stream + 16), 1000);
	CHECK_EQ(le32(stream + 20), PCAP_LINKTYPE_ETHERNET);

	/* 1: a received frame (unknown type: captured, then dropped) */
	memset(payload, 0x5a, sizeof(payload));
	fake_dev_inject(fd, frame, fake_frame(frame, fd->dev->dev_addr, frame + 50,
					     0x88b5, payload, sizeof(payload)));
	fake_dev_irq(fd);
	host_run_softirqs(0);
	/* 2: a sent frame; 3: a frame cut at snaplen */
	host_clock_advance(1500000);
	dev_queue_xmit(tx_frame(fd->dev, 0x11, 50));
	dev_queue_xmit(tx_frame(fd->dev, 0x22, 1400));
	/* 4: a looped frame, captured once (receive side) */
	dev_queue_xmit(tx_frame(loopback_dev, 0x33, 20));
	/* 5: a nonlinear frame, its frags after the linear part, cut */
	fd->dev->features |= NETIF_F_SG;
	dev_queue_xmit(tx_frame_frags(fd->dev));

	CHECK(record(0, &r));
	CHECK_EQ(r.sec, 3);
	CHECK_EQ(r.usec, 250);
	CHECK_EQ(r.incl, 100);
	CHECK_EQ(r.orig, 100);
	CHECK(!memcmp(r.data, frame, 100));
	CHECK(record(1, &r));
	CHECK_EQ(r.usec, 1750);
	CHECK_EQ(r.incl, ETH_HLEN + 50);
	CHECK_EQ(r.data[ETH_HLEN], 0x11);
	CHECK(record(2, &r));
	CHECK_EQ(r.incl, 1000);
	CHECK_EQ(r.orig, ETH_HLEN + 1400);
	CHECK(record(3, &r));
	CHECK_EQ(r.incl, ETH_HLEN + 20);
	CHECK_EQ(r.data[ETH_HLEN], 0x33);
	CHECK(record(4, &r));
	CHECK_EQ(r.incl, 1000);
	CHECK_EQ(r.orig, ETH_HLEN + 1210);
	CHECK(r.data[ETH_HLEN + 9] == 0x55 && r.data[ETH_HLEN + 10] == 0x66);
	CHECK(r.data[ETH_HLEN + 609] == 0x66 && r.data[ETH_HLEN + 610] == 0x77);
	CHECK_EQ(r.data[999], 0x77);
	CHECK(!record(5, &r));
	CHECK_EQ(pcap_get_stats()->records, 5);
	CHECK_EQ(pcap_get_stats()->truncated, 2);
	CHECK_EQ(pcap_get_stats()->bytes, stream_len);

	pcap_stop();
	pcap_stop();
	dev_queue_xmit(tx_frame(fd->dev, 0x44, 50));
	CHECK_EQ(pcap_get_stats()->records, 5);
	loopback_exit();
	fake_dev_destroy(fd);
}

/* More traffic with the default snaplen, for the tool test. */
static void dump(const char *path)
{
	struct fake_dev *fd = fake_dev_create(2);
	FILE *f;
	int i;

	stream_len = 0;
	CHECK_EQ(pcap_start(sink, stream, 0), 0);
	for (i = 0; i < 20; i++) {
		host_clock_advance(123456789);
		dev_queue_xmit(tx_frame(fd->dev, (uint8_t)i, 40 + (unsigned int)i * 70));
	}
	pcap_stop();
	fake_dev_destroy(fd);
	f = fopen(path, "wb");
	CHECK(f != NULL);
	if (f) {
		CHECK_EQ(fwrite(stream, 1, stream_len, f), stream_len);
		fclose(f);
	}
}

int main(int argc, char **argv)
{
	net_dev_init();
	test_capture();
	if (argc == 3 && !strcmp(argv[1], "--dump"))
		dump(argv[2]);
	CHECK_EQ(skb_accounting()->skbs_alive, 0);
	return check_report();
}
