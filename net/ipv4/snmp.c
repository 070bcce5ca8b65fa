/*
 * The IPv4 and ICMP counter instances and their printable names (see
 * snmp.h).
 */
#include "net/ipv4/snmp.h"

#include "kernel/lib/string.h"
#include "net/core/stats.h"

struct ip_mib ip_statistics;
struct icmp_mib icmp_statistics;
struct icmpmsg_mib icmpmsg_statistics;

#define SNMP_NAME(name) #name,

const char *const ip_mib_names[] = { IP_MIB_LIST(SNMP_NAME) };
const size_t ip_mib_count = sizeof(ip_mib_names) / sizeof(ip_mib_names[0]);
_Static_assert(sizeof(ip_mib_names) / sizeof(ip_mib_names[0]) ==
	       sizeof(struct ip_mib) / sizeof(uint64_t), "one name per Ip counter");

const char *const icmp_mib_names[] = { ICMP_MIB_LIST(SNMP_NAME) };
const size_t icmp_mib_count = sizeof(icmp_mib_names) / sizeof(icmp_mib_names[0]);
_Static_assert(sizeof(icmp_mib_names) / sizeof(icmp_mib_names[0]) ==
	       sizeof(struct icmp_mib) / sizeof(uint64_t), "one name per Icmp counter");

static struct mib ip_mib_entry = MIB_INIT("Ip", ip_mib_names, &ip_statistics);
static struct mib icmp_mib_entry = MIB_INIT("Icmp", icmp_mib_names, &icmp_statistics);

void snmp_register(void)
{
	mib_register(&ip_mib_entry);
	mib_register(&icmp_mib_entry);
}

void snmp_unregister(void)
{
	mib_unregister(&icmp_mib_entry);
	mib_unregister(&ip_mib_entry);
}

void snmp_reset(void)
{
	memset(&ip_statistics, 0, sizeof(ip_statistics));
	memset(&icmp_statistics, 0, sizeof(icmp_statistics));
	memset(&icmpmsg_statistics, 0, sizeof(icmpmsg_statistics));
}
