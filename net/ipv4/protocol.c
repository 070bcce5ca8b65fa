/*
 * inet_protos[]: transport handlers by IP protocol number (see protocol.h).
 */
#include "net/ipv4/protocol.h"

#include "kernel/errno.h"

static const struct net_protocol *inet_protos[256];

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
