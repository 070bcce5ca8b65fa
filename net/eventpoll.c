/*
 * epoll (eventpoll.h has the semantics): struct eventpoll with its items
 * hashed by descriptor and its ready list, ep_poll_callback on each
 * watched socket's poll hooks, and the three calls.
 *
 * Invariants: an item is on its socket's hook list from ADD until DEL,
 * the socket's release or the epoll's release; it is on the ready list at
 * most once (ep_link.next != NULL while on it).  The ready list is
 * touched only with bottom halves disabled (the callback runs in
 * softirq).
 *
 * Context: thread; ep_poll_callback in softirq or with bottom halves
 * disabled.
 */
#include "net/eventpoll.h"

#include "kernel/errno.h"
#include "net/platform.h"
#include "net/socket.h"

#define EP_HASH_SIZE	256u
/* Bits of event.events that are flags, not events. */
#define EP_PRIVATE_BITS	(EPOLLET | EPOLLONESHOT)
#define NSEC_PER_MSEC	1000000ull

/* A circular doubly linked list link (the ready list). */
struct ep_link {
	struct ep_link *next;
	struct ep_link *prev;
};

struct epitem {
	struct poll_hook hook;		/* on sock->wq.hooks */
	struct ep_link rdllink;		/* on ep->rdllist while ready */
	struct eventpoll *ep;
	struct socket *sock;
	int fd;
	struct epoll_event event;
	struct epitem *hnext;		/* ep->hash chain */
};

struct eventpoll {
	struct net_waitq wq;		/* threads in epoll_wait */
	struct ep_link rdllist;
	struct epitem *hash[EP_HASH_SIZE];
	unsigned int users;		/* descriptor + calls in progress */
	bool closed;
};

#define ep_item_of_hook(h) ((struct epitem *)((char *)(h) - offsetof(struct epitem, hook)))
#define ep_item_of_link(l) ((struct epitem *)((char *)(l) - offsetof(struct epitem, rdllink)))

static void ep_file_release(void *private_data);

static const struct net_file_ops eventpoll_fops = {
	.release = ep_file_release,
};

static void ep_list_init(struct ep_link *head)
{
	head->next = head;
	head->prev = head;
}

static bool ep_list_empty(const struct ep_link *head)
{
	return head->next == head;
}

static void ep_list_add_tail(struct ep_link *l, struct ep_link *head)
{
	l->prev = head->prev;
	l->next = head;
	head->prev->next = l;
	head->prev = l;
}

static void ep_list_del(struct ep_link *l)
{
	if (!l->next)
		return;
	l->prev->next = l->next;
	l->next->prev = l->prev;
	l->next = NULL;
	l->prev = NULL;
}

/* Moves every entry of from to the front of to; from ends empty. */
static void ep_list_splice_head(struct ep_link *from, struct ep_link *to)
{
	if (ep_list_empty(from))
		return;
	from->prev->next = to->next;
	to->next->prev = from->prev;
	to->next = from->next;
	from->next->prev = to;
	ep_list_init(from);
}

static bool ep_is_linked(const struct epitem *epi)
{
	return epi->rdllink.next != NULL;
}

/* The wakeup from a socket: queue the item if the event concerns it. */
static void ep_poll_callback(struct poll_hook *h, unsigned int events)
{
	struct epitem *epi = ep_item_of_hook(h);
	uint32_t want = epi->event.events & ~EP_PRIVATE_BITS;

	if (!want)
		return;			/* EPOLLONESHOT fired; disabled until MOD */
	if (events && !(events & want))
		return;
	if (!ep_is_linked(epi))
		ep_list_add_tail(&epi->rdllink, &epi->ep->rdllist);
	net_wake_up(&epi->ep->wq);
}

static struct epitem **ep_hash_slot(struct eventpoll *ep, int fd)
{
	return &ep->hash[(unsigned int)fd & (EP_HASH_SIZE - 1)];
}

static struct epitem *ep_find(struct eventpoll *ep, int fd)
{
	struct epitem *epi = *ep_hash_slot(ep, fd);

	while (epi && epi->fd != fd)
		epi = epi->hnext;
	return epi;
}

/* Unlinks the item from everything and frees it.  Bottom halves off. */
static void ep_remove(struct epitem *epi)
{
	struct epitem **pp = ep_hash_slot(epi->ep, epi->fd);

	while (*pp != epi)
		pp = &(*pp)->hnext;
	*pp = epi->hnext;
	poll_hook_del(&epi->hook);
	ep_list_del(&epi->rdllink);
	net_free(epi);
}

/* The socket is going away: forget it. */
static void ep_poll_release(struct poll_hook *h)
{
	ep_remove(ep_item_of_hook(h));
}

/* Current events of the item, as epoll reports them. */
static uint32_t ep_item_poll(const struct epitem *epi)
{
	return epi->sock->ops->poll(epi->sock) &
	       ((epi->event.events & ~EP_PRIVATE_BITS) | EPOLLERR | EPOLLHUP);
}

static int ep_insert(struct eventpoll *ep, int fd, struct socket *sock,
		     const struct epoll_event *event)
{
	struct epitem *epi = net_alloc(sizeof(*epi));

	if (!epi)
		return -ENOMEM;
	epi->hook.wake = ep_poll_callback;
	epi->hook.release = ep_poll_release;
	epi->ep = ep;
	epi->sock = sock;
	epi->fd = fd;
	epi->event = *event;
	epi->event.events |= EPOLLERR | EPOLLHUP;
	epi->hnext = *ep_hash_slot(ep, fd);
	*ep_hash_slot(ep, fd) = epi;
	poll_hook_add(sock, &epi->hook);
	if (ep_item_poll(epi))
		ep_poll_callback(&epi->hook, 0);
	return 0;
}

static int ep_modify(struct epitem *epi, const struct epoll_event *event)
{
	epi->event = *event;
	epi->event.events |= EPOLLERR | EPOLLHUP;
	if (ep_item_poll(epi))
		ep_poll_callback(&epi->hook, 0);
	return 0;
}

static struct eventpoll *ep_get(int epfd)
{
	struct eventpoll *ep = fd_lookup(epfd, &eventpoll_fops);

	if (ep)
		ep->users++;
	return ep;
}

static void ep_free(struct eventpoll *ep)
{
	net_bh_disable();
	for (unsigned int i = 0; i < EP_HASH_SIZE; i++)
		while (ep->hash[i])
			ep_remove(ep->hash[i]);
	net_bh_enable();
	net_free(ep);
}

static void ep_put(struct eventpoll *ep)
{
	if (--ep->users == 0)
		ep_free(ep);
}

static void ep_file_release(void *private_data)
{
	struct eventpoll *ep = private_data;

	ep->closed = true;
	net_wake_up(&ep->wq);
	ep_put(ep);
}

int sys_epoll_create1(int flags)
{
	struct eventpoll *ep;
	int fd;

	if (flags)
		return -EINVAL;
	ep = net_alloc(sizeof(*ep));
	if (!ep)
		return -ENOMEM;
	net_waitq_init(&ep->wq);
	ep_list_init(&ep->rdllist);
	ep->users = 1;
	fd = fd_install(&eventpoll_fops, ep);
	if (fd < 0)
		net_free(ep);
	return fd;
}

int sys_epoll_create(int size)
{
	return size <= 0 ? -EINVAL : sys_epoll_create1(0);
}

static int ep_ctl(struct eventpoll *ep, int op, int fd, const struct epoll_event *event)
{
	struct epitem *epi;
	struct socket *sock;
	int err;

	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return err == -ENOTSOCK ? -EPERM : err;
	net_bh_disable();
	epi = ep_find(ep, fd);
	err = 0;
	if (op == EPOLL_CTL_ADD)
		err = epi ? -EEXIST : ep_insert(ep, fd, sock, event);
	else if (!epi)
		err = -ENOENT;
	else if (op == EPOLL_CTL_MOD)
		err = ep_modify(epi, event);
	else
		ep_remove(epi);
	net_bh_enable();
	sock_put_socket(sock);
	return err;
}

int sys_epoll_ctl(int epfd, int op, int fd, const struct epoll_event *event)
{
	struct eventpoll *ep;
	int err;

	if (op != EPOLL_CTL_ADD && op != EPOLL_CTL_MOD && op != EPOLL_CTL_DEL)
		return -EINVAL;
	if (op != EPOLL_CTL_DEL && !event)
		return -EFAULT;
	if (epfd == fd)
		return -EINVAL;
	ep = ep_get(epfd);
	if (!ep)
		return fd_is_open(epfd) ? -EINVAL : -EBADF;
	err = ep_ctl(ep, op, fd, event);
	ep_put(ep);
	return err;
}

/*
 * Reports up to maxevents from the ready list.  Each item is taken off
 * and re-polled; a level-triggered one that is still ready goes back to
 * the tail, after whatever this pass did not reach.  Bottom halves off.
 */
static int ep_send_events(struct eventpoll *ep, struct epoll_event *events, int maxevents)
{
	struct ep_link txlist;
	int n = 0;

	ep_list_init(&txlist);
	ep_list_splice_head(&ep->rdllist, &txlist);
	while (n < maxevents && !ep_list_empty(&txlist)) {
		struct epitem *epi = ep_item_of_link(txlist.next);
		uint32_t revents;

		ep_list_del(&epi->rdllink);
		revents = ep_item_poll(epi);
		if (!revents)
			continue;
		events[n].events = revents;
		events[n].data = epi->event.data;
		n++;
		if (epi->event.events & EPOLLONESHOT)
			epi->event.events &= EP_PRIVATE_BITS;
		else if (!(epi->event.events & EPOLLET))
			ep_list_add_tail(&epi->rdllink, &ep->rdllist);
	}
	ep_list_splice_head(&txlist, &ep->rdllist);
	return n;
}

static bool ep_events_available(void *arg)
{
	struct eventpoll *ep = arg;

	return ep->closed || !ep_list_empty(&ep->rdllist);
}

int sys_epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout_ms)
{
	uint64_t deadline = timeout_ms > 0 ? net_now_ns() + (uint64_t)timeout_ms * NSEC_PER_MSEC : 0;
	struct eventpoll *ep;
	int n;

	if (maxevents <= 0 || !events)
		return -EINVAL;
	ep = ep_get(epfd);
	if (!ep)
		return fd_is_open(epfd) ? -EINVAL : -EBADF;
	net_bh_disable();
	for (;;) {
		n = ep_send_events(ep, events, maxevents);
		if (n || !timeout_ms)
			break;
		if (ep->closed) {
			n = -EBADF;
			break;
		}
		if (net_wait(&ep->wq, ep_events_available, ep, deadline))
			break;
	}
	net_bh_enable();
	ep_put(ep);
	return n;
}
