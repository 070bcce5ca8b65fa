/*
 * DHCP wire format: emit/parse round trip of a client message, a server
 * reply with every option the client reads, option overload into 'file'
 * and 'sname', and each parse failure (truncated, no cookie, an option
 * overrunning its field, a wrong fixed length, no message type); the UDP
 * header the client puts around its messages (ports, length, checksum).
 */
#include "net/ipv4/dhcp_wire.h"

#include "net/core/byteorder.h"
#include "net/core/checksum.h"
#include "net/ipv4/dhcp.h"
#include "net/ipv4/ip.h"
#include "tests/host/check.h"

static uint8_t buf[1024];

/* A BOOTREPLY header at buf; returns where the options start. */
static uint8_t *reply_hdr(void)
{
	struct bootp_hdr *h = (struct bootp_hdr *)buf;

	memset(buf, 0, sizeof(buf));
	h->op = BOOTREPLY;
	h->htype = 1;
	h->hlen = 6;
	put_be32(&h->xid, 0x11223344);
	put_be32(&h->yiaddr, 0xc6120042);
	memcpy(h->cookie, "\x63\x82\x53\x63", 4);
	return buf + sizeof(*h);
}

static void test_client_roundtrip(void)
{
	struct dhcp_msg out = { .type = DHCPREQUEST, .xid = 0xdeadbeef, .secs = 7,
				.flags = BOOTP_FLAG_BROADCAST, .requested_ip = 0xc6120042,
				.server_id = 0xc6120001,
				.have = DHCP_HAVE_REQUESTED_IP | DHCP_HAVE_SERVER_ID };
	struct dhcp_msg in;
	size_t len;

	memcpy(out.chaddr, "\x02\x00\x00\x00\x00\x01", 6);
	memset(buf, 0xaa, sizeof(buf));
	len = dhcp_emit(&out, buf);
	CHECK_EQ(len, DHCP_MSG_MIN);		/* padded, RFC 1542 */
	CHECK_EQ(buf[0], BOOTREQUEST);
	CHECK_EQ(buf[1], 1);
	CHECK_EQ(buf[2], 6);
	CHECK_EQ(buf[len - 1], DHCP_OPT_PAD);
	CHECK_EQ(dhcp_parse(buf, len, &in), 0);
	CHECK_EQ(in.type, DHCPREQUEST);
	CHECK_EQ(in.xid, 0xdeadbeef);
	CHECK_EQ(in.secs, 7);
	CHECK_EQ(in.flags, BOOTP_FLAG_BROADCAST);
	CHECK_EQ(in.requested_ip, 0xc6120042);
	CHECK_EQ(in.server_id, 0xc6120001);
	CHECK(memcmp(in.chaddr, out.chaddr, 6) == 0);
	/* Without the optional ones they are not emitted. */
	out.have = 0;
	len = dhcp_emit(&out, buf);
	CHECK_EQ(dhcp_parse(buf, len, &in), 0);
	CHECK_EQ(in.have, 0);
}

static void test_reply_options(void)
{
	static const uint8_t opts[] = {
		53, 1, DHCPACK, 0, 0,			/* type, two pads */
		1, 4, 255, 255, 255, 0,			/* mask */
		3, 8, 198, 18, 0, 1, 198, 18, 0, 254,	/* two routers: first kept */
		6, 16, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4,	/* 4 DNS: 3 kept */
		51, 4, 0, 0, 2, 88,			/* lease 600 */
		54, 4, 198, 18, 0, 1,
		58, 4, 0, 0, 1, 44,			/* T1 300 */
		59, 4, 0, 0, 2, 13,			/* T2 525 */
		1, 4, 255, 0, 0, 0,			/* duplicate: first wins */
		12, 3, 'a', 'b', 'c',			/* unknown to us: skipped */
		255,
	};
	struct dhcp_msg m;
	uint8_t *p = reply_hdr();

	memcpy(p, opts, sizeof(opts));
	CHECK_EQ(dhcp_parse(buf, 240 + sizeof(opts), &m), 0);
	CHECK_EQ(m.op, BOOTREPLY);
	CHECK_EQ(m.type, DHCPACK);
	CHECK_EQ(m.xid, 0x11223344);
	CHECK_EQ(m.yiaddr, 0xc6120042);
	CHECK_EQ(m.mask, 0xffffff00);
	CHECK_EQ(m.router, 0xc6120001);
	CHECK_EQ(m.n_dns, 3);
	CHECK_EQ(m.dns[0], 0x01010101);
	CHECK_EQ(m.dns[2], 0x03030303);
	CHECK_EQ(m.lease, 600);
	CHECK_EQ(m.server_id, 0xc6120001);
	CHECK_EQ(m.t1, 300);
	CHECK_EQ(m.t2, 525);
	CHECK_EQ(m.have, DHCP_HAVE_MASK | DHCP_HAVE_ROUTER | DHCP_HAVE_LEASE |
		 DHCP_HAVE_SERVER_ID | DHCP_HAVE_T1 | DHCP_HAVE_T2);
	/* No end option: the field's end ends it. */
	CHECK_EQ(dhcp_parse(buf, 240 + sizeof(opts) - 1, &m), 0);
}

static void test_overload(void)
{
	struct bootp_hdr *h = (struct bootp_hdr *)buf;
	static const uint8_t opts[] = { 52, 1, 3, 255 };
	struct dhcp_msg m;
	uint8_t *p = reply_hdr();

	memcpy(p, opts, sizeof(opts));
	memcpy(h->file, "\x35\x01\x02\x33\x04\x00\x00\x0e\x10\xff", 10);	/* OFFER, 3600 s */
	memcpy(h->sname, "\x36\x04\xc6\x12\x00\x01\xff", 7);
	CHECK_EQ(dhcp_parse(buf, 240 + sizeof(opts), &m), 0);
	CHECK_EQ(m.type, DHCPOFFER);
	CHECK_EQ(m.lease, 3600);
	CHECK_EQ(m.server_id, 0xc6120001);
	/* Only 'file': sname's option is not read. */
	p[2] = 1;
	CHECK_EQ(dhcp_parse(buf, 240 + sizeof(opts), &m), 0);
	CHECK(!(m.have & DHCP_HAVE_SERVER_ID));
	/* An option in 'sname' that runs past its 64 bytes. */
	p[2] = 2;
	h->sname[62] = 12;
	h->sname[63] = 5;
	h->sname[6] = 0;		/* pads up to it */
	memset(h->sname + 7, 0, 55);
	CHECK_EQ(dhcp_parse(buf, 240 + sizeof(opts), &m), -DHCP_ERR_OVERRUN);
	/* Bad overload value. */
	p[2] = 4;
	CHECK_EQ(dhcp_parse(buf, 240 + sizeof(opts), &m), -DHCP_ERR_OPTLEN);
}

static void test_parse_errors(void)
{
	struct dhcp_msg m;
	uint8_t *p = reply_hdr();

	CHECK_EQ(dhcp_parse(buf, 239, &m), -DHCP_ERR_TRUNCATED);
	CHECK_EQ(dhcp_parse(buf, 0, &m), -DHCP_ERR_TRUNCATED);
	memcpy(p, "\x35\x01\x05\xff", 4);
	CHECK_EQ(dhcp_parse(buf, 244, &m), 0);
	buf[236] = 0;			/* cookie */
	CHECK_EQ(dhcp_parse(buf, 244, &m), -DHCP_ERR_COOKIE);
	buf[236] = 99;
	/* Length byte missing, then a length past the end. */
	memcpy(p, "\x35\x01\x05\x33", 4);
	CHECK_EQ(dhcp_parse(buf, 244, &m), -DHCP_ERR_OVERRUN);
	memcpy(p, "\x35\x01\x05\x33\x04\x00\x00", 7);
	CHECK_EQ(dhcp_parse(buf, 247, &m), -DHCP_ERR_OVERRUN);
	memcpy(p, "\x35\xff", 2);
	CHECK_EQ(dhcp_parse(buf, 250, &m), -DHCP_ERR_OVERRUN);
	/* Wrong fixed lengths: type 2 bytes, mask 3, router 5, lease 0. */
	memcpy(p, "\x35\x02\x05\x05\xff", 5);
	CHECK_EQ(dhcp_parse(buf, 245, &m), -DHCP_ERR_OPTLEN);
	memcpy(p, "\x35\x01\x05\x01\x03\xff\xff\xff\xff", 9);
	CHECK_EQ(dhcp_parse(buf, 249, &m), -DHCP_ERR_OPTLEN);
	memcpy(p, "\x35\x01\x05\x03\x05\x01\x02\x03\x04\x05\xff", 11);
	CHECK_EQ(dhcp_parse(buf, 251, &m), -DHCP_ERR_OPTLEN);
	memcpy(p, "\x35\x01\x05\x33\x00\xff", 6);
	CHECK_EQ(dhcp_parse(buf, 246, &m), -DHCP_ERR_OPTLEN);
	/* No type, an unknown type: BOOTP, not DHCP. */
	memcpy(p, "\x33\x04\x00\x00\x00\x10\xff", 7);
	CHECK_EQ(dhcp_parse(buf, 247, &m), -DHCP_ERR_NO_TYPE);
	memcpy(p, "\x35\x01\x09\xff", 4);
	CHECK_EQ(dhcp_parse(buf, 244, &m), -DHCP_ERR_NO_TYPE);
}

/* IPv4 + UDP around n payload bytes into buf; returns the length. */
static size_t udp_datagram(uint16_t sport, uint16_t dport, size_t n)
{
	struct ip4_hdr_info h = { .ttl = 64, .protocol = IPPROTO_UDP, .saddr = 0xc6120001,
				  .daddr = INADDR_BROADCAST, .tot_len = (uint16_t)(28 + n) };

	memset(buf + 28, 0x5a, n);
	dhcp_udp_emit(buf + 20, n, sport, dport, h.saddr, h.daddr);
	ip4_emit(&h, buf);
	return 28 + n;
}

/* dhcp_udp_emit: ports, length, and a checksum that verifies over the
 * pseudo-header (and is never the "none" value 0). */
static void test_udp(void)
{
	size_t n = udp_datagram(68, 67, 300);
	uint16_t check;

	CHECK_EQ(n, 328);
	CHECK_EQ(get_be16(buf + 20), 68);
	CHECK_EQ(get_be16(buf + 22), 67);
	CHECK_EQ(get_be16(buf + 24), 308);
	memcpy(&check, buf + 26, 2);
	CHECK(check != 0);
	CHECK_EQ(csum_tcpudp_magic(htonl(0xc6120001), htonl(INADDR_BROADCAST), 308, IPPROTO_UDP,
				   csum_partial(buf + 20, 308, 0)), 0);
	buf[100] ^= 1;
	CHECK(csum_tcpudp_magic(htonl(0xc6120001), htonl(INADDR_BROADCAST), 308, IPPROTO_UDP,
				csum_partial(buf + 20, 308, 0)) != 0);
}

static void test_mask(void)
{
	CHECK_EQ(dhcp_mask_to_plen(0xffffff00), 24);
	CHECK_EQ(dhcp_mask_to_plen(0xffffffff), 32);
	CHECK_EQ(dhcp_mask_to_plen(0), 0);
	CHECK_EQ(dhcp_mask_to_plen(0xfffffffe), 31);
	CHECK_EQ(dhcp_mask_to_plen(0xff00ff00), -1);
	CHECK_EQ(dhcp_mask_to_plen(0x00ffffff), -1);
}

int main(void)
{
	test_client_roundtrip();
	test_reply_options();
	test_overload();
	test_parse_errors();
	test_udp();
	test_mask();
	return check_report();
}
