/*
 * HTTP scenario of tests/bench/bench_net.c (bench_http.c): keep-alive
 * GET / over loopback against the apps/ HTTP server.
 */
#ifndef SYNACK_TESTS_BENCH_BENCH_HTTP_H
#define SYNACK_TESTS_BENCH_BENCH_HTTP_H

#include <stdbool.h>

/* Starts the server and connects the client (after ipt_setup). */
bool bench_http_setup(void);
/* One request and its whole answer; true if it was a complete 200. */
bool bench_http_request(void);

#endif
