/*
 * inet_protos[]: transport handlers by IP protocol number, and the raw
 * sockets' tap (see protocol.h).
 */
#include "net/ipv4/protocol.h"

#include "kernel/errno.h"

static const struct net_protocol *inet_protos[256];
static bool (*inet_raw_tap)(struct sk_buff *skb, uint8_t protocol);

int inet_add_protocol(const struct net_protocol *prot, uint8_t protocol)
{
	if (inet_protos[protocol])
		return -EBUSY;
	inet_protos[protocol] = prot;
	return 0;
}

int inet_del_protocol(const struct net_protocol *prot, uint8_t protocol)
{
	if (inet_protos[protocol] != prot)
		return -ENOENT;
	inet_protos[protocol] = NULL;
	return 0;
}

const struct net_protocol *inet_protocol(uint8_t protocol)
{
	return inet_protos[protocol];
}

int inet_add_raw_tap(bool (*fn)(struct sk_buff *skb, uint8_t protocol))
{
	if (inet_raw_tap)
		return -EBUSY;
	inet_raw_tap = fn;
	return 0;
}

int inet_del_raw_tap(bool (*fn)(struct sk_buff *skb, uint8_t protocol))
{
	if (inet_raw_tap != fn)
		return -ENOENT;
	inet_raw_tap = NULL;
	return 0;
}

bool inet_raw_deliver(struct sk_buff *skb, uint8_t protocol)
{
	return inet_raw_tap && inet_raw_tap(skb, protocol);
}
