/*
 * printk: format, stamp with uptime, queue for the consoles.  Interrupts
 * are disabled around each queueing so lines from IRQ context never
 * interleave with a thread's line mid-way (one CPU).
 */
#include "kernel/printk.h"

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/kernel.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"
#include "kernel/time.h"

static struct console *consoles;
static int log_level = LOG_INFO;
/*
 * Console output goes through a ring and reaches the devices later, from
 * the idle loop (console_idle_flush) or, for output that has waited
 * CONSOLE_LATE_NS, from the tick (console_tick): a UART takes 87 us a byte
 * at 115200 baud on a PC, and under a hypervisor every byte is an exit, so
 * boot and the packet path never wait for the console.  Each console
 * consumes the ring at its own pace (its tail); a writer that finds the
 * ring full waits for the slowest, and panic and QEMU's exit drain it all
 * (console_flush_all).  Order is kept: a chunk leaves the ring and reaches
 * the device inside one interrupts-off section.
 */
#define CONSOLE_RING_SIZE	16384u		/* power of two: positions wrap freely */
#define CONSOLE_CHUNK		256u		/* bytes per interrupts-off section */
#define CONSOLE_LATE_NS		(100 * NSEC_PER_MSEC)

static struct {
	char buf[CONSOLE_RING_SIZE];
	uint64_t head;			/* bytes ever written */
	uint64_t pending_since;		/* now_ns() when output last started waiting */
} ring;

static uint64_t ring_oldest(void)
{
	uint64_t oldest = ring.head;

	for (struct console *c = consoles; c; c = c->next)
		if (c->tail < oldest)
			oldest = c->tail;
	return oldest;
}

void console_register(struct console *con)
{
	unsigned long flags = irq_save();
	struct console **pp = &consoles;

	con->tail = ring_oldest();	/* what the others have yet to show, it shows too */
	while (*pp)
		pp = &(*pp)->next;
	con->next = NULL;
	*pp = con;
	irq_restore(flags);
}

void console_unregister(struct console *con)
{
	unsigned long flags = irq_save();

	for (struct console **pp = &consoles; *pp; pp = &(*pp)->next) {
		if (*pp == con) {
			*pp = con->next;
			break;
		}
	}
	irq_restore(flags);
}

/* Up to CONSOLE_CHUNK bytes from c's tail to its device; with interrupts
 * off.  Returns the bytes taken (0: the device is busy or nothing waits). */
static size_t console_push(struct console *c, bool wait)
{
	size_t off = c->tail % CONSOLE_RING_SIZE, len = ring.head - c->tail, n;

	if (len > CONSOLE_RING_SIZE - off)
		len = CONSOLE_RING_SIZE - off;	/* up to the wrap */
	if (len > CONSOLE_CHUNK)
		len = CONSOLE_CHUNK;
	if (!len)
		return 0;
	n = c->write(ring.buf + off, len, wait);
	c->tail += n;
	return n;
}

/* One chunk for each console; true if output still waits. */
static bool console_push_all(bool wait)
{
	bool left = false;

	for (struct console *c = consoles; c; c = c->next) {
		console_push(c, wait);
		left |= c->tail != ring.head;
	}
	return left;
}

void console_flush_all(void)
{
	unsigned long flags = irq_save();

	while (console_push_all(true))
		;
	irq_restore(flags);
}

bool console_idle_flush(void)
{
	unsigned long flags = irq_save();
	uint64_t before = ring_oldest();
	bool again = before != ring.head && console_push_all(false) && ring_oldest() != before;

	irq_restore(flags);
	return again;
}

void console_tick(void)
{
	if (ring_oldest() != ring.head && now_ns() - ring.pending_since >= CONSOLE_LATE_NS)
		console_push_all(false);
}

void console_write(const char *s, size_t len)
{
	unsigned long flags = irq_save();

	if (!consoles) {
		irq_restore(flags);
		return;
	}
	if (ring_oldest() == ring.head)
		ring.pending_since = now_ns();
	while (len) {
		size_t room = CONSOLE_RING_SIZE - (size_t)(ring.head - ring_oldest());
		size_t off = ring.head % CONSOLE_RING_SIZE, n = len;

		if (!room) {
			console_push_all(true);	/* full: the writer waits for the slowest */
			continue;
		}
		if (n > room)
			n = room;
		if (n > CONSOLE_RING_SIZE - off)
			n = CONSOLE_RING_SIZE - off;
		memcpy(ring.buf + off, s, n);
		ring.head += n;
		s += n;
		len -= n;
	}
	irq_restore(flags);
}

void kputs(const char *s)
{
	console_write(s, strlen(s));
}

void printk_set_level(int level)
{
	log_level = level;
}

int printk_get_level(void)
{
	return log_level;
}

void printk(int level, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	uint64_t ns = now_ns();
	int n;

	if (level > log_level)
		return;
	n = ksnprintf(line, sizeof(line), "[%5lu.%06lu] ",
		      (unsigned long)(ns / 1000000000u),
		      (unsigned long)(ns / 1000u % 1000000u));
	va_start(ap, fmt);
	kvsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	n = (int)strlen(line);
	if (n && line[n - 1] != '\n' && n < (int)sizeof(line) - 1)
		line[n++] = '\n';
	console_write(line, (size_t)n);
}
