/*
 * The HTTP server's kernel side: started by the echo service's initcall
 * (echo_main.c) on echo's epoll instance, as its loop's guest, so one
 * thread serves both; the Date field counts from the RTC's boot epoch
 * (kernel/rtc.h); /metrics and /stats get the kernel's own figures
 * (pages, slab caches, softirqs) from http_sys_collect.
 *
 * Context: boot (http_app_start), then the echo thread.
 */
#include "apps/http_main.h"

#include "apps/echo.h"
#include "apps/http.h"
#include "apps/http_stats.h"
#include "kernel/mm/page_alloc.h"
#include "kernel/mm/slab.h"
#include "kernel/printk.h"
#include "kernel/rtc.h"
#include "kernel/softirq.h"
#include "net/core/skbuff.h"

static struct http_server *http;

/* kmem_cache_for_each callback: interrupts are off, so only copy. */
static void http_sys_cache_one(const struct kmem_cache_stats *c, void *arg)
{
	struct http_sys_stats *st = arg;
	struct http_sys_cache *d;

	if (st->ncaches == HTTP_SYS_CACHES)
		return;
	d = &st->caches[st->ncaches++];
	*d = (struct http_sys_cache){
		.name = c->name, .obj_size = c->obj_size, .objs = c->objs_in_use,
		.bytes = c->bytes_in_use, .slabs = c->slabs, .allocs = c->allocs,
		.frees = c->frees, .failures = c->failures,
	};
}

static void http_sys_collect(struct http_sys_stats *st)
{
	const struct softirq_stats *sq = softirq_get_stats();
	struct page_stats ps;

	page_get_stats(&ps);
	st->pages_total = ps.total_pages;
	st->pages_free = ps.free_pages;
	st->pages_image = ps.image_pages;
	slab_usage(&st->slab_objs, &st->slab_bytes);
	local_bh_disable();
	st->skbs_alive = skb_accounting()->skbs_alive;
	st->skb_data_bytes = skb_accounting()->data_bytes;
	local_bh_enable();
	kmem_cache_for_each(http_sys_cache_one, st);
	for (unsigned int nr = 0; nr < NR_SOFTIRQS && nr < HTTP_SYS_SOFTIRQS; nr++) {
		st->softirqs[nr].name = softirq_name(nr);
		st->softirqs[nr].runs = sq->count[nr];
		st->softirqs[nr].time_ns = sq->time_ns[nr];
		st->nsoftirqs = nr + 1;
	}
	st->softirq_deferred = sq->deferred;
	st->ksoftirqd_runs = sq->ksoftirqd_runs;
}

static bool http_guest_event(void *ctx, int fd, uint32_t events)
{
	return http_server_event(ctx, fd, events);
}

static int http_guest_timeout(void *ctx)
{
	return http_server_timeout_ms(ctx);
}

static void http_guest_tick(void *ctx)
{
	http_server_tick(ctx);
}

static struct echo_guest http_guest = {
	.event = http_guest_event,
	.timeout_ms = http_guest_timeout,
	.tick = http_guest_tick,
};

int http_app_start(struct echo_server *echo)
{
	struct http_config cfg;
	int err;

	http_config_default(&cfg);
	cfg.boot_epoch = rtc_boot_epoch();
	cfg.sys_stats = http_sys_collect;
	err = http_server_start(&http, echo_server_epfd(echo), &cfg);
	if (err) {
		pr_err("http: cannot open port %d (%d)\n", cfg.port, err);
		return err;
	}
	http_guest.ctx = http;
	echo_server_set_guest(echo, &http_guest);
	pr_info("http: serving port %d\n", cfg.port);
	return 0;
}
