/*
 * Byte order: host <-> network (big-endian) conversion for wire fields.
 *
 * Convention for all of net/: a struct that mirrors a wire header keeps its
 * multi-byte fields in network order (the names in comments say so, e.g.
 * `be16 h_proto`); values are converted once, at parse or emit time.
 * Constants compared against wire fields are written htons(ETH_P_IP) and
 * fold at compile time.  Unaligned loads and stores go through memcpy.
 */
#ifndef SYNACK_NET_CORE_BYTEORDER_H
#define SYNACK_NET_CORE_BYTEORDER_H

#include <stdint.h>

#include "kernel/lib/string.h"

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
static inline uint16_t htons(uint16_t x) { return __builtin_bswap16(x); }
static inline uint32_t htonl(uint32_t x) { return __builtin_bswap32(x); }
static inline uint64_t htonll(uint64_t x) { return __builtin_bswap64(x); }
#else
static inline uint16_t htons(uint16_t x) { return x; }
static inline uint32_t htonl(uint32_t x) { return x; }
static inline uint64_t htonll(uint64_t x) { return x; }
#endif

static inline uint16_t ntohs(uint16_t x) { return htons(x); }
static inline uint32_t ntohl(uint32_t x) { return htonl(x); }
static inline uint64_t ntohll(uint64_t x) { return htonll(x); }

/* Big-endian loads and stores at any alignment (host-order values). */
static inline uint16_t get_be16(const void *p)
{
	uint16_t v;
	memcpy(&v, p, sizeof(v));
	return ntohs(v);
}

static inline uint32_t get_be32(const void *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return ntohl(v);
}

static inline void put_be16(void *p, uint16_t v)
{
	v = htons(v);
	memcpy(p, &v, sizeof(v));
}

static inline void put_be32(void *p, uint32_t v)
{
	v = htonl(v);
	memcpy(p, &v, sizeof(v));
}

#endif
