/*
 * ICMP for IPv4 (RFC 792, RFC 1122 3.2.2): the wire header with its parse
 * and emit functions, the receive handler, and icmp_send for errors.
 *
 * Received: echo requests are answered (any size: reassembly brings the
 * request in, fragmentation takes the reply out); errors are decoded and
 * passed to the raw sockets and the err_handler of the quoted datagram's
 * protocol; echo replies go to the hook set by icmp_set_echo_reply_hook
 * (ping).
 *
 * Sent errors follow RFC 1122 3.2.2: never about an ICMP error, a datagram
 * to a broadcast or multicast address, a non-first fragment, or a source
 * that is not a unicast host; they are limited by a token bucket
 * (ICMP_MSGS_PER_SEC, burst ICMP_MSGS_BURST) and quote the offending
 * header plus as much of its data as keeps the error within 576 bytes.
 *
 * Context: softirq, or a thread with bottom halves disabled.
 */
#ifndef SYNACK_NET_IPV4_ICMP_H
#define SYNACK_NET_IPV4_ICMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sk_buff;

struct icmphdr {
	uint8_t type;
	uint8_t code;
	uint16_t checksum;
	uint8_t rest[4];		/* echo id/sequence, next-hop MTU, pointer */
} __attribute__((packed));
_Static_assert(sizeof(struct icmphdr) == 8, "ICMP header is 8 bytes");

#define ICMP_HDR_LEN		8u

#define ICMP_ECHOREPLY		0
#define ICMP_DEST_UNREACH	3
#define ICMP_SOURCE_QUENCH	4
#define ICMP_REDIRECT		5
#define ICMP_ECHO		8
#define ICMP_TIME_EXCEEDED	11
#define ICMP_PARAMETERPROB	12
#define ICMP_TIMESTAMP		13
#define ICMP_TIMESTAMPREPLY	14
#define ICMP_ADDRESS		17
#define ICMP_ADDRESSREPLY	18

/* Codes for ICMP_DEST_UNREACH. */
#define ICMP_NET_UNREACH	0
#define ICMP_HOST_UNREACH	1
#define ICMP_PROT_UNREACH	2
#define ICMP_PORT_UNREACH	3
#define ICMP_FRAG_NEEDED	4
/* "administratively prohibited" (RFC 1122 3.2.2.1, RFC 1812 5.2.7.1) */
#define ICMP_NET_ANO		9
#define ICMP_HOST_ANO		10
#define ICMP_PKT_FILTERED	13
/* Codes for ICMP_TIME_EXCEEDED. */
#define ICMP_EXC_TTL		0
#define ICMP_EXC_FRAGTIME	1

#define ICMP_MSGS_PER_SEC	1000u
#define ICMP_MSGS_BURST		50u
/* RFC 1812 4.3.2.3: an error "SHOULD contain as much of the original
 * datagram as possible without the length of the ICMP datagram exceeding
 * 576 bytes". */
#define ICMP_ERR_MAX_LEN	576u

/* A validated header, host byte order. */
struct icmp_info {
	uint8_t type;
	uint8_t code;
	uint32_t rest;			/* the second 32-bit word */
};

enum icmp_parse_err {
	ICMP_ERR_TRUNCATED = 1,		/* fewer than 8 bytes */
	ICMP_ERR_CSUM,			/* checksum over the message fails */
};

/* Validates the message of len bytes at buf (checksum over all of it).
 * Returns 0 and fills info, or a negative enum icmp_parse_err. */
int icmp_parse(const void *buf, size_t len, struct icmp_info *info);

/* Writes the header at buf and the checksum over the len-byte message
 * whose payload already follows it.  Returns ICMP_HDR_LEN. */
size_t icmp_emit(const struct icmp_info *info, void *buf, size_t len);

/* True for the types RFC 1122 calls error messages. */
bool icmp_is_error(uint8_t type);

/* The errno a received error means for the socket that sent the quoted
 * datagram (0: none, e.g. a source quench); *fatal for the hard ones
 * (protocol or port unreachable, administratively prohibited), which a
 * connected datagram or raw socket reports. */
int icmp_err_convert(uint8_t type, uint8_t code, bool *fatal);

/*
 * Sends an ICMP error about skb_in (its network header and IPCB set, as
 * on the input path or a packet we built).  Does not consume skb_in.
 * info: the next-hop MTU for ICMP_FRAG_NEEDED, else 0.
 */
void icmp_send(const struct sk_buff *skb_in, uint8_t type, uint8_t code, uint32_t info);

/* The inet_protos[IPPROTO_ICMP] handler.  Consumes skb. */
int icmp_rcv(struct sk_buff *skb);

/* Sends an echo request of payload_len bytes (pattern-filled) to daddr.
 * 0 or a negative errno. */
int icmp_ping(uint32_t daddr, uint16_t id, uint16_t seq, size_t payload_len);

/* Called for every echo reply received: source, id, sequence, payload
 * length.  NULL to stop. */
void icmp_set_echo_reply_hook(void (*fn)(uint32_t saddr, uint16_t id, uint16_t seq,
					 size_t len));

/* Registers IPPROTO_ICMP; 0 or -errno. */
int icmp_init(void);
void icmp_exit(void);

#endif
