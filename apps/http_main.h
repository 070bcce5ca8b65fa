/*
 * Starting the HTTP server inside the application (http_main.c): the
 * echo service's initcall calls http_app_start once its loop exists.
 *
 * Context: boot.
 */
#ifndef SYNACK_APPS_HTTP_MAIN_H
#define SYNACK_APPS_HTTP_MAIN_H

struct echo_server;

/* Opens port 80 on echo's epoll instance and joins its loop.  0 or -errno. */
int http_app_start(struct echo_server *echo);

#endif
