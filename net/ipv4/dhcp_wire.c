/*
 * DHCP wire format: parse and emit of BOOTP messages with DHCP options,
 * and the UDP header around them (dhcp_wire.h).
 *
 * Option parsing walks each field as code/length/value triples with every
 * length checked against the field's end before a byte of the value is
 * read.  The fields are read in the order RFC 3396 §5 gives: 'options',
 * then 'file', then 'sname' when option 52 overloads them.
 */
#include "net/ipv4/dhcp_wire.h"

#include "kernel/lib/string.h"
#include "net/core/byteorder.h"
#include "net/core/checksum.h"
#include "net/ipv4/ip.h"

static const uint8_t dhcp_cookie[4] = { 99, 130, 83, 99 };

/* What this client asks for (RFC 2132 §9.8). */
static const uint8_t dhcp_param_request[] = {
	DHCP_OPT_SUBNET_MASK, DHCP_OPT_ROUTER, DHCP_OPT_DNS, DHCP_OPT_LEASE_TIME,
	DHCP_OPT_SERVER_ID, DHCP_OPT_RENEWAL_T1, DHCP_OPT_REBINDING_T2,
};

/* Option values that are one address or one 32-bit number. */
struct dhcp_opt_u32 {
	uint8_t code;
	unsigned int have;
	size_t offset;
};

static const struct dhcp_opt_u32 dhcp_u32_opts[] = {
	{ DHCP_OPT_SUBNET_MASK, DHCP_HAVE_MASK, offsetof(struct dhcp_msg, mask) },
	{ DHCP_OPT_LEASE_TIME, DHCP_HAVE_LEASE, offsetof(struct dhcp_msg, lease) },
	{ DHCP_OPT_SERVER_ID, DHCP_HAVE_SERVER_ID, offsetof(struct dhcp_msg, server_id) },
	{ DHCP_OPT_REQUESTED_IP, DHCP_HAVE_REQUESTED_IP, offsetof(struct dhcp_msg, requested_ip) },
	{ DHCP_OPT_RENEWAL_T1, DHCP_HAVE_T1, offsetof(struct dhcp_msg, t1) },
	{ DHCP_OPT_REBINDING_T2, DHCP_HAVE_T2, offsetof(struct dhcp_msg, t2) },
};

static int dhcp_opt_u32(struct dhcp_msg *m, const struct dhcp_opt_u32 *o,
			const uint8_t *v, size_t len)
{
	/* RFC 2132 §3.3, §9.2, §9.7, §9.1, §9.11, §9.12: "The length is 4". */
	if (len != 4)
		return -DHCP_ERR_OPTLEN;
	if (!(m->have & o->have)) {
		m->have |= o->have;
		*(uint32_t *)((uint8_t *)m + o->offset) = get_be32(v);
	}
	return 0;
}

/* Addresses lists (router, DNS): "The minimum length ... is 4 octets, and
 * the length MUST always be a multiple of 4" (RFC 2132 §3.5, §3.8). */
static int dhcp_opt_addrs(struct dhcp_msg *m, uint8_t code, const uint8_t *v, size_t len)
{
	if (len < 4 || len % 4)
		return -DHCP_ERR_OPTLEN;
	if (code == DHCP_OPT_ROUTER) {
		if (!(m->have & DHCP_HAVE_ROUTER))
			m->router = get_be32(v);
		m->have |= DHCP_HAVE_ROUTER;
		return 0;
	}
	for (size_t i = 0; i < len && m->n_dns < DHCP_MAX_DNS; i += 4)
		m->dns[m->n_dns++] = get_be32(v + i);
	return 0;
}

/* One option; *overload collects option 52 (RFC 2132 §9.3). */
static int dhcp_opt_one(struct dhcp_msg *m, uint8_t code, const uint8_t *v, size_t len,
			uint8_t *overload)
{
	for (size_t i = 0; i < sizeof(dhcp_u32_opts) / sizeof(dhcp_u32_opts[0]); i++)
		if (dhcp_u32_opts[i].code == code)
			return dhcp_opt_u32(m, &dhcp_u32_opts[i], v, len);
	switch (code) {
	case DHCP_OPT_ROUTER:
	case DHCP_OPT_DNS:
		return dhcp_opt_addrs(m, code, v, len);
	case DHCP_OPT_MSG_TYPE:
		/* RFC 2132 §9.6: "The length is 1", values 1-8. */
		if (len != 1)
			return -DHCP_ERR_OPTLEN;
		if (!m->type && v[0] >= DHCPDISCOVER && v[0] <= DHCPINFORM)
			m->type = v[0];
		return 0;
	case DHCP_OPT_OVERLOAD:
		/* RFC 2132 §9.3: "its length is 1.  Legal values ... 1, 2, 3". */
		if (len != 1 || v[0] < 1 || v[0] > 3)
			return -DHCP_ERR_OPTLEN;
		*overload = v[0];
		return 0;
	default:
		return 0;	/* options we do not use are skipped */
	}
}

/* Walks one field: pad, end, or code/length/value that fits the field.
 * Running into the field's end without an end option is accepted. */
static int dhcp_opt_field(struct dhcp_msg *m, const uint8_t *p, size_t len, uint8_t *overload)
{
	size_t i = 0;
	int err;

	while (i < len) {
		uint8_t code = p[i++];

		if (code == DHCP_OPT_PAD)
			continue;
		if (code == DHCP_OPT_END)
			return 0;
		/* RFC 2132 §2: "the length octet ... does not include the
		 * code and length fields"; both must lie inside the field. */
		if (i >= len || p[i] > len - i - 1)
			return -DHCP_ERR_OVERRUN;
		err = dhcp_opt_one(m, code, p + i + 1, p[i], overload);
		if (err)
			return err;
		i += 1u + p[i];
	}
	return 0;
}

static void dhcp_parse_fixed(const struct bootp_hdr *h, struct dhcp_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->op = h->op;
	m->htype = h->htype;
	m->hlen = h->hlen;
	m->xid = get_be32(&h->xid);
	m->secs = get_be16(&h->secs);
	m->flags = get_be16(&h->flags);
	m->ciaddr = get_be32(&h->ciaddr);
	m->yiaddr = get_be32(&h->yiaddr);
	m->siaddr = get_be32(&h->siaddr);
	m->giaddr = get_be32(&h->giaddr);
	memcpy(m->chaddr, h->chaddr, sizeof(m->chaddr));
}

int dhcp_parse(const void *buf, size_t len, struct dhcp_msg *m)
{
	const struct bootp_hdr *h = buf;
	uint8_t overload = 0, ignored = 0;
	int err;

	if (len < sizeof(*h))
		return -DHCP_ERR_TRUNCATED;
	dhcp_parse_fixed(h, m);
	/* RFC 2131 §3: "The first four octets of the 'options' field of the
	 * DHCP message contain the (decimal) values 99, 130, 83 and 99". */
	if (memcmp(h->cookie, dhcp_cookie, sizeof(dhcp_cookie)))
		return -DHCP_ERR_COOKIE;
	err = dhcp_opt_field(m, (const uint8_t *)buf + sizeof(*h), len - sizeof(*h), &overload);
	/* Overloaded fields may not overload again (RFC 2132 §9.3: the
	 * option belongs in 'options'). */
	if (!err && (overload & 1))
		err = dhcp_opt_field(m, h->file, sizeof(h->file), &ignored);
	if (!err && (overload & 2))
		err = dhcp_opt_field(m, h->sname, sizeof(h->sname), &ignored);
	if (err)
		return err;
	/* RFC 2131 §3: "DHCP messages ... MUST include the 'DHCP message
	 * type' option"; without it this is BOOTP, not ours. */
	if (!m->type)
		return -DHCP_ERR_NO_TYPE;
	return 0;
}

static uint8_t *dhcp_put_opt(uint8_t *p, uint8_t code, const void *v, uint8_t len)
{
	*p++ = code;
	*p++ = len;
	memcpy(p, v, len);
	return p + len;
}

static uint8_t *dhcp_put_addr(uint8_t *p, uint8_t code, uint32_t addr)
{
	uint8_t v[4];

	put_be32(v, addr);
	return dhcp_put_opt(p, code, v, sizeof(v));
}

size_t dhcp_emit(const struct dhcp_msg *m, void *buf)
{
	struct bootp_hdr *h = buf;
	uint8_t *p = (uint8_t *)buf + sizeof(*h), id[7];
	size_t len;

	memset(h, 0, sizeof(*h));
	h->op = BOOTREQUEST;
	h->htype = 1;		/* RFC 1700 hardware type: Ethernet */
	h->hlen = 6;
	put_be32(&h->xid, m->xid);
	put_be16(&h->secs, m->secs);
	put_be16(&h->flags, m->flags);
	put_be32(&h->ciaddr, m->ciaddr);
	memcpy(h->chaddr, m->chaddr, 6);
	memcpy(h->cookie, dhcp_cookie, sizeof(dhcp_cookie));
	p = dhcp_put_opt(p, DHCP_OPT_MSG_TYPE, &m->type, 1);
	/* RFC 2132 §9.14: type 1 (Ethernet) followed by the MAC. */
	id[0] = 1;
	memcpy(id + 1, m->chaddr, 6);
	p = dhcp_put_opt(p, DHCP_OPT_CLIENT_ID, id, sizeof(id));
	if (m->have & DHCP_HAVE_REQUESTED_IP)
		p = dhcp_put_addr(p, DHCP_OPT_REQUESTED_IP, m->requested_ip);
	if (m->have & DHCP_HAVE_SERVER_ID)
		p = dhcp_put_addr(p, DHCP_OPT_SERVER_ID, m->server_id);
	p = dhcp_put_opt(p, DHCP_OPT_PARAM_REQUEST, dhcp_param_request,
			 sizeof(dhcp_param_request));
	*p++ = DHCP_OPT_END;
	len = (size_t)(p - (uint8_t *)buf);
	if (len < DHCP_MSG_MIN) {
		memset(p, DHCP_OPT_PAD, DHCP_MSG_MIN - len);
		len = DHCP_MSG_MIN;
	}
	return len;
}

void dhcp_udp_emit(void *udp, size_t plen, uint16_t sport, uint16_t dport,
		   uint32_t saddr, uint32_t daddr)
{
	uint8_t *u = udp;
	uint16_t ulen = (uint16_t)(DHCP_UDP_HLEN + plen), check;

	put_be16(u, sport);
	put_be16(u + 2, dport);
	put_be16(u + 4, ulen);
	put_be16(u + 6, 0);
	check = csum_tcpudp_magic(htonl(saddr), htonl(daddr), ulen, IPPROTO_UDP,
				  csum_partial(u, ulen, 0));
	/* RFC 768: "If the computed checksum is zero, it is transmitted as
	 * all ones". */
	if (check == 0)
		check = 0xffff;
	memcpy(u + 6, &check, sizeof(check));
}
