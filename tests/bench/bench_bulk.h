/*
 * Bulk scenario of tests/bench/bench_net.c (bench_bulk.c): the sending
 * side of a download over the fake NIC with checksum offload, TSO and
 * scatter-gather, as virtio-net and e1000 have them.
 */
#ifndef SYNACK_TESTS_BENCH_BENCH_BULK_H
#define SYNACK_TESTS_BENCH_BENCH_BULK_H

#include <stdbool.h>

#include "tests/host/test_ipv4_util.h"

/* An established connection from the peer to port 80 on env's NIC. */
bool bench_bulk_setup(struct ipt_env *env);
/* 64 KiB written, sent (the frames freed as the device would) and
 * acknowledged by the peer; true if all of it went out. */
bool bench_bulk_unit(void);

#endif
