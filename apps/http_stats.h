/*
 * What /metrics and /stats show beyond the network stack: the figures
 * only the kernel has (image and allocator pages, slab caches, softirqs;
 * skbs too, beside them), collected by the
 * kernel side (http_main.c) into this struct at each request, so the
 * formatting in http_stats.c stays host-testable.
 *
 * Context: the application thread.
 */
#ifndef SYNACK_APPS_HTTP_STATS_H
#define SYNACK_APPS_HTTP_STATS_H

#include <stdint.h>

#define HTTP_SYS_CACHES		48
#define HTTP_SYS_SOFTIRQS	10

struct http_sys_cache {
	const char *name;		/* the cache's own (static) name */
	uint64_t obj_size, objs, bytes, slabs, allocs, frees, failures;
};

struct http_sys_softirq {
	const char *name;
	uint64_t runs, time_ns;
};

struct http_sys_stats {
	uint64_t pages_total, pages_free;	/* the page allocator's */
	uint64_t pages_image;			/* the kernel image, outside it */
	uint64_t slab_objs, slab_bytes;		/* every cache and kmalloc-large */
	uint64_t skbs_alive, skb_data_bytes;
	unsigned int ncaches, nsoftirqs;
	struct http_sys_cache caches[HTTP_SYS_CACHES];
	struct http_sys_softirq softirqs[HTTP_SYS_SOFTIRQS];
	uint64_t softirq_deferred, ksoftirqd_runs;
};

#endif
