/*
 * Notifier chains: a list of callbacks, called in priority order (higher
 * first, equal priorities in registration order) when an event happens.
 * Generic: the netdev chain (netdevice.h) and the inetaddr chain (ipv4)
 * are both instances.
 *
 * A callback returns NOTIFY_DONE (not interested), NOTIFY_OK, or a value
 * with NOTIFY_STOP_MASK set to stop the walk.  notifier_from_errno /
 * notifier_to_errno carry an error code through that value.
 *
 * Context: registration and calls with bottom halves disabled or in
 * softirq (one CPU, no locks).  A callback may not unregister other blocks
 * of the same chain while it runs; it may unregister itself.
 */
#ifndef SYNACK_NET_CORE_NOTIFIER_H
#define SYNACK_NET_CORE_NOTIFIER_H

struct notifier_block {
	int (*notifier_call)(struct notifier_block *nb, unsigned long event, void *data);
	struct notifier_block *next;
	int priority;
};

struct notifier_head {
	struct notifier_block *head;
};

#define NOTIFY_DONE		0x0000
#define NOTIFY_OK		0x0001
#define NOTIFY_STOP_MASK	0x8000
#define NOTIFY_BAD		(NOTIFY_STOP_MASK | 0x0002)
#define NOTIFY_STOP		(NOTIFY_OK | NOTIFY_STOP_MASK)

static inline int notifier_from_errno(int err)
{
	return err ? NOTIFY_STOP_MASK | (NOTIFY_OK - err) : NOTIFY_OK;
}

static inline int notifier_to_errno(int ret)
{
	ret &= ~NOTIFY_STOP_MASK;
	return ret > NOTIFY_OK ? NOTIFY_OK - ret : 0;
}

/* 0, or -EEXIST if nb is already on the chain. */
int notifier_chain_register(struct notifier_head *nh, struct notifier_block *nb);
/* 0, or -ENOENT if nb is not on the chain. */
int notifier_chain_unregister(struct notifier_head *nh, struct notifier_block *nb);
/* Calls every block (until one stops the walk); returns the last result. */
int notifier_call_chain(struct notifier_head *nh, unsigned long event, void *data);

#endif
