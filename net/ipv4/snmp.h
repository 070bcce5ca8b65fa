/*
 * IPv4 and ICMP counters, named as in Linux's /proc/net/snmp ("Ip:",
 * "Icmp:", "IcmpMsg:") plus the split of every aggregate drop reason that
 * the MIB lumps together (IpExt-style names), so each drop has its own
 * counter.  One list per family generates both the struct and the name
 * table that the console and HTTP stats pages print.
 *
 * Invariants: InHdrErrors is the sum of the In*Err header counters below
 * it; every counter only grows (tests reset with snmp_reset).
 *
 * Context: updated in softirq or with bottom halves disabled (one CPU).
 */
#ifndef SYNACK_NET_IPV4_SNMP_H
#define SYNACK_NET_IPV4_SNMP_H

#include <stddef.h>
#include <stdint.h>

#define IP_MIB_LIST(X) \
	X(InReceives) X(InHdrErrors) X(InAddrErrors) X(ForwDatagrams) \
	X(InUnknownProtos) X(InDiscards) X(InDelivers) X(OutRequests) \
	X(OutDiscards) X(OutNoRoutes) X(ReasmTimeout) X(ReasmReqds) \
	X(ReasmOKs) X(ReasmFails) X(FragOKs) X(FragFails) X(FragCreates) \
	/* InHdrErrors, by reason */ \
	X(InTruncated) X(InVersionErr) X(InIhlErr) X(InLenErr) \
	X(InCsumErrors) X(InFragErr) X(InTTLZero) \
	/* InAddrErrors, by reason */ \
	X(InMartianSrc) X(InMartianDst) X(InNotForUs) X(InMcastDrops) \
	X(InOtherHost) \
	/* ReasmFails, by reason (duplicates are dropped, not failures) */ \
	X(ReasmOverlaps) X(ReasmDuplicates) X(ReasmBadLen) \
	X(ReasmEvictions) X(ReasmNoMem) \
	/* OutDiscards, by reason */ \
	X(OutNoMem) X(OutNoNeigh) X(FragNeeded)

#define ICMP_MIB_LIST(X) \
	X(InMsgs) X(InErrors) X(InCsumErrors) X(InDestUnreachs) \
	X(InTimeExcds) X(InParmProbs) X(InSrcQuenchs) X(InRedirects) \
	X(InEchos) X(InEchoReps) X(InTimestamps) X(InTimestampReps) \
	X(InAddrMasks) X(InAddrMaskReps) X(OutMsgs) X(OutErrors) \
	X(OutRateLimited) X(OutDestUnreachs) X(OutTimeExcds) X(OutParmProbs) \
	X(OutEchos) X(OutEchoReps) \
	/* InErrors, by reason, and errors not sent, by reason */ \
	X(InTruncated) X(InBcastEchoIgnored) X(InUnknownTypes) \
	X(ErrNotSentAboutError) X(ErrNotSentBcast) X(ErrNotSentFrag) \
	X(ErrNotSentNoRoute) X(ErrNotSentNoMem)

#define SNMP_FIELD(name) uint64_t name;

struct ip_mib {
	IP_MIB_LIST(SNMP_FIELD)
};

struct icmp_mib {
	ICMP_MIB_LIST(SNMP_FIELD)
};

/* IcmpMsg: per-type counts, both directions. */
struct icmpmsg_mib {
	uint64_t in_type[256];
	uint64_t out_type[256];
};

extern struct ip_mib ip_statistics;
extern struct icmp_mib icmp_statistics;
extern struct icmpmsg_mib icmpmsg_statistics;

#define IP_INC_STATS(field)	(ip_statistics.field++)
#define ICMP_INC_STATS(field)	(icmp_statistics.field++)

/* Names in struct order: ip_mib_names[i] labels the i-th uint64_t. */
extern const char *const ip_mib_names[];
extern const size_t ip_mib_count;
extern const char *const icmp_mib_names[];
extern const size_t icmp_mib_count;

/* Adds the Ip and Icmp families to the net/core/stats.h registry (the
 * console and /metrics print them from there), and removes them. */
void snmp_register(void);
void snmp_unregister(void);

void snmp_reset(void);

#endif
