/*
 * `stats`: the appliance's resource view for the console shell.  Uptime,
 * the kernel image's pages, the page allocator's (total, used, free),
 * every slab cache (objects, bytes, slabs, allocation
 * counts), sk_buffs alive and their bytes, softirq runs and time, and the
 * interrupt vectors taken (unexpected ones included).
 *
 * Figures are copied first (slab walk with interrupts off, skb accounting
 * with bottom halves disabled) and printed afterwards.
 *
 * Context: the shell thread.
 */
#include "kernel/arch/x86_64/irq.h"
#include "kernel/console/serial.h"
#include "kernel/errno.h"
#include "kernel/mm/page_alloc.h"
#include "kernel/mm/slab.h"
#include "kernel/shell/shell.h"
#include "kernel/softirq.h"
#include "kernel/time.h"
#include "net/core/skbuff.h"

#define SNAP_CACHES	64
#define NR_VECTORS_ALL	256
#define IRQS_PER_LINE	6

static struct {
	struct kmem_cache_stats c[SNAP_CACHES];
	unsigned int n, more;
} slab_snap;

/* kmem_cache_for_each callback: interrupts are off, so only copy. */
static void slab_snap_one(const struct kmem_cache_stats *st, void *arg)
{
	(void)arg;
	if (slab_snap.n < SNAP_CACHES)
		slab_snap.c[slab_snap.n++] = *st;
	else
		slab_snap.more++;
}

static void stats_memory(void)
{
	struct page_stats ps;
	uint64_t objs, bytes;

	page_get_stats(&ps);
	shell_printf("image: %lu pages (%lu KiB)\n", (unsigned long)ps.image_pages,
		     (unsigned long)(ps.image_pages * 4));
	shell_printf("pages: total %lu used %lu free %lu (%lu KiB used, %lu KiB free of %lu KiB)\n",
		     (unsigned long)ps.total_pages, (unsigned long)(ps.total_pages - ps.free_pages),
		     (unsigned long)ps.free_pages,
		     (unsigned long)((ps.total_pages - ps.free_pages) * 4),
		     (unsigned long)(ps.free_pages * 4), (unsigned long)(ps.total_pages * 4));
	slab_snap.n = slab_snap.more = 0;
	kmem_cache_for_each(slab_snap_one, NULL);
	slab_usage(&objs, &bytes);
	shell_printf("slab: %lu objects, %lu bytes (%lu KiB) in use\n", (unsigned long)objs,
		     (unsigned long)bytes, (unsigned long)(bytes / 1024));
	shell_printf("  %-20s %7s %9s %11s %6s %10s %10s %5s\n", "cache", "objsize", "objects",
		     "bytes", "slabs", "allocs", "frees", "fail");
	for (unsigned int i = 0; i < slab_snap.n; i++) {
		const struct kmem_cache_stats *c = &slab_snap.c[i];

		shell_printf("  %-20s %7lu %9lu %11lu %6lu %10lu %10lu %5lu\n", c->name,
			     (unsigned long)c->obj_size, (unsigned long)c->objs_in_use,
			     (unsigned long)c->bytes_in_use, (unsigned long)c->slabs,
			     (unsigned long)c->allocs, (unsigned long)c->frees,
			     (unsigned long)c->failures);
	}
	if (slab_snap.more)
		shell_printf("  (%u more caches not shown)\n", slab_snap.more);
}

static void stats_skbs(void)
{
	struct skb_accounting a;

	local_bh_disable();
	a = *skb_accounting();
	local_bh_enable();
	shell_printf("skbs: alive %lu data %lu bytes %lu allocs %lu failures %lu\n",
		     (unsigned long)a.skbs_alive, (unsigned long)a.data_alive,
		     (unsigned long)a.data_bytes, (unsigned long)a.allocs,
		     (unsigned long)a.alloc_failures);
}

static void stats_softirqs(void)
{
	const struct softirq_stats *st = softirq_get_stats();

	for (unsigned int nr = 0; nr < NR_SOFTIRQS; nr++)
		shell_printf("softirq %-7s runs %lu time %lu us\n", softirq_name(nr),
			     (unsigned long)st->count[nr],
			     (unsigned long)(st->time_ns[nr] / NSEC_PER_USEC));
	shell_printf("softirq deferred %lu ksoftirqd_runs %lu\n", (unsigned long)st->deferred,
		     (unsigned long)st->ksoftirqd_runs);
}

/* Vectors that were taken, a few per line: "0x30: 12". */
static void stats_irqs(void)
{
	unsigned int on_line = 0;

	shell_puts("irqs:");
	for (int v = 0; v < NR_VECTORS_ALL; v++) {
		uint64_t n = irq_count(v);

		if (!n)
			continue;
		if (on_line == IRQS_PER_LINE) {
			shell_puts("\n     ");
			on_line = 0;
		}
		shell_printf(" 0x%02x: %lu", v, (unsigned long)n);
		on_line++;
	}
	shell_printf("\nirqs unexpected %lu, serial rx overruns %lu\n",
		     (unsigned long)irq_unexpected_count(), (unsigned long)serial_rx_overruns());
}

int shell_stats(int argc, char **argv)
{
	uint64_t up = now_ns();

	(void)argv;
	if (argc)
		return -EINVAL;
	shell_printf("uptime %lu.%03lu s, jiffies %lu\n", (unsigned long)(up / NSEC_PER_SEC),
		     (unsigned long)(up % NSEC_PER_SEC / NSEC_PER_MSEC), (unsigned long)jiffies);
	stats_memory();
	stats_skbs();
	stats_softirqs();
	stats_irqs();
	return 0;
}
