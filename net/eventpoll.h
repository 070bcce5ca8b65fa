/*
 * epoll for the socket layer's descriptors (Linux's fs/eventpoll.c in
 * miniature; seeds/004 chapter 3.4).
 *
 * An epoll instance keeps one item per watched socket and a ready list.
 * Each item sits on its socket's poll hooks (socket.h): a wakeup from the
 * protocol (sk_data_ready, sk_write_space, sk_state_change,
 * sk_error_report) runs ep_poll_callback, which puts the item on the
 * ready list if the event concerns it and wakes epoll_wait.  epoll_wait
 * never scans every socket: it re-polls only the items on the ready list
 * to report their current events.
 *
 * Level-triggered items go back on the ready list after being reported,
 * so they are reported again while the condition holds; EPOLLET items
 * only come back on the next wakeup; EPOLLONESHOT items are disabled
 * after one report until EPOLL_CTL_MOD.  EPOLLERR and EPOLLHUP are
 * always reported.  Closing a socket removes it from every epoll set;
 * closing the epoll descriptor wakes a waiter with -EBADF.
 *
 * Calls return >= 0 or a negative errno, as the sys_* socket calls do.
 * Context: thread; ep_poll_callback in softirq or with bottom halves
 * disabled.
 */
#ifndef SYNACK_NET_EVENTPOLL_H
#define SYNACK_NET_EVENTPOLL_H

#include <stdint.h>

#define EPOLLIN		0x001u
#define EPOLLPRI	0x002u
#define EPOLLOUT	0x004u
#define EPOLLERR	0x008u
#define EPOLLHUP	0x010u
#define EPOLLRDNORM	0x040u
#define EPOLLWRNORM	0x100u
#define EPOLLRDHUP	0x2000u
#define EPOLLONESHOT	(1u << 30)
#define EPOLLET		(1u << 31)

#define EPOLL_CTL_ADD	1
#define EPOLL_CTL_DEL	2
#define EPOLL_CTL_MOD	3

union epoll_data {
	void *ptr;
	int fd;
	uint32_t u32;
	uint64_t u64;
};

/* Linux's x86-64 layout: packed, 12 bytes. */
struct epoll_event {
	uint32_t events;
	union epoll_data data;
} __attribute__((packed));
_Static_assert(sizeof(struct epoll_event) == 12, "epoll_event is 12 bytes");

/* A new epoll descriptor; size must be positive (and is otherwise
 * ignored), flags 0. */
int sys_epoll_create(int size);
int sys_epoll_create1(int flags);
/* ADD (-EEXIST if present), MOD and DEL (-ENOENT if absent) of socket fd;
 * -EBADF, -EINVAL (epfd not an epoll, fd == epfd), -EPERM (fd is not a
 * socket). */
int sys_epoll_ctl(int epfd, int op, int fd, const struct epoll_event *event);
/* Up to maxevents ready events; timeout_ms -1 waits forever, 0 polls.
 * Returns the count (0 on timeout) or -errno. */
int sys_epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout_ms);

#endif
