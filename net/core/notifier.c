/*
 * Notifier chains (interface: notifier.h): a singly linked list kept in
 * priority order, highest first; among equals, registration order.
 */
#include "net/core/notifier.h"

#include <stddef.h>

#include "kernel/errno.h"

int notifier_chain_register(struct notifier_head *nh, struct notifier_block *nb)
{
	struct notifier_block **pp;

	for (pp = &nh->head; *pp; pp = &(*pp)->next)
		if (*pp == nb)
			return -EEXIST;
	for (pp = &nh->head; *pp && (*pp)->priority >= nb->priority; pp = &(*pp)->next)
		;
	nb->next = *pp;
	*pp = nb;
	return 0;
}

int notifier_chain_unregister(struct notifier_head *nh, struct notifier_block *nb)
{
	struct notifier_block **pp;

	for (pp = &nh->head; *pp; pp = &(*pp)->next) {
		if (*pp == nb) {
			*pp = nb->next;
			nb->next = NULL;
			return 0;
		}
	}
	return -ENOENT;
}

int notifier_call_chain(struct notifier_head *nh, unsigned long event, void *data)
{
	struct notifier_block *nb = nh->head;
	int ret = NOTIFY_DONE;

	while (nb) {
		/* Read next first: the callback may unregister itself. */
		struct notifier_block *next = nb->next;

		ret = nb->notifier_call(nb, event, data);
		if (ret & NOTIFY_STOP_MASK)
			break;
		nb = next;
	}
	return ret;
}
