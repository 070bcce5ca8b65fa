/*
 * IPv4 bring-up and tear-down (af_inet.c).
 *
 * The kernel calls inet_init once, after net_dev_init; then configures
 * addresses with inet_addr_add (devinet.h) and routes with
 * fib_table_insert (fib.h).  inet_exit undoes everything (host tests run
 * each case on a fresh stack).
 */
#ifndef SYNACK_NET_IPV4_AF_INET_H
#define SYNACK_NET_IPV4_AF_INET_H

/* 0 or a negative errno (nothing stays registered on failure). */
int inet_init(void);
void inet_exit(void);

#endif
