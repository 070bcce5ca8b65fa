/*
 * HTTP scenario of tests/bench/bench_net.c (bench_http.c): keep-alive
 * GET / over loopback against the apps/ HTTP server, and one connection
 * per request (ab without -k).
 */
#ifndef SYNACK_TESTS_BENCH_BENCH_HTTP_H
#define SYNACK_TESTS_BENCH_BENCH_HTTP_H

#include <stdbool.h>

#include "tests/host/test_ipv4_util.h"

/* Starts the server (after ipt_setup; env unused: loopback). */
bool bench_http_server_setup(struct ipt_env *env);
/* Starts the server and connects the client (after ipt_setup). */
bool bench_http_setup(struct ipt_env *env);
/* One request and its whole answer; true if it was a complete 200. */
bool bench_http_request(void);

/* A new connection for one GET / HTTP/1.0, closed by both ends; true if
 * the answer was a whole 200 and the server closed its side. */
bool bench_http_conn_request(void);

#endif
