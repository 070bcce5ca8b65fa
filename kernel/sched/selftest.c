/*
 * test=sched (selftest.h).  Runs in a kernel thread started at boot.
 * Bounds on lateness are loose because QEMU's TCG timing is; what must
 * never happen (early wakeups, lost wakeups, out-of-order timers, a thread
 * switched without yielding) is checked exactly.
 */
#include "kernel/sched/selftest.h"

#include "kernel/kernel.h"
#include "kernel/lib/string.h"
#include "kernel/params.h"
#include "kernel/printk.h"
#include "kernel/sched/sched.h"
#include "kernel/softirq.h"
#include "kernel/time.h"
#include "kernel/timer.h"

#define PINGPONG_ROUNDS		1000
#define TIMEOUT_NS		(50 * NSEC_PER_MSEC)
#define LATE_OK_NS		(50 * NSEC_PER_MSEC)	/* TCG can stall this long */
#define NR_ORDER_TIMERS		10

static int failures;

static void st_fail(const char *what, uint64_t a, uint64_t b)
{
	failures++;
	pr_err("sched-selftest: FAIL %s (%lu, %lu)\n", what, (unsigned long)a, (unsigned long)b);
}

static struct wait_queue done_wq = WAIT_QUEUE_INIT;
static volatile int threads_done;

static void thread_done(void)
{
	threads_done++;
	wake_up(&done_wq);
}

/* Blocks until `n` helper threads have called thread_done(). */
static void wait_threads(int n)
{
	if (wait_event_timeout(done_wq, threads_done >= n, 20 * NSEC_PER_SEC))
		st_fail("helper threads did not finish", threads_done, n);
	threads_done = 0;
}

/* --- ping-pong through one wait queue --- */

static struct wait_queue pp_wq = WAIT_QUEUE_INIT;
static volatile int pp_turn;
static int pp_count;

static void pp_ping(void *arg)
{
	(void)arg;
	for (int i = 0; i < PINGPONG_ROUNDS; i++) {
		wait_event(pp_wq, pp_turn == 0);
		pp_count++;
		pp_turn = 1;
		wake_up(&pp_wq);
	}
	thread_done();
}

static void pp_pong(void *arg)
{
	(void)arg;
	for (int i = 0; i < PINGPONG_ROUNDS; i++) {
		int r = wait_event_timeout(pp_wq, pp_turn == 1, 5 * NSEC_PER_SEC);

		if (r)
			st_fail("pong timed out mid-game", i, 0);
		pp_count++;
		pp_turn = 0;
		wake_up(&pp_wq);
	}
	/* Nobody passes the turn back now: this wait must time out. */
	uint64_t t0 = now_ns();
	int r = wait_event_timeout(pp_wq, pp_turn == 1, TIMEOUT_NS);
	uint64_t el = now_ns() - t0;

	pr_info("sched-selftest: wait_event_timeout(50 ms) -> %d after %lu us\n", r,
		(unsigned long)(el / 1000));
	if (r != -ETIMEDOUT)
		st_fail("wait_event_timeout did not time out", (uint64_t)r, 0);
	if (el < TIMEOUT_NS || el > TIMEOUT_NS + LATE_OK_NS)
		st_fail("wait_event_timeout elapsed ns", el, TIMEOUT_NS);
	thread_done();
}

static void test_pingpong(void)
{
	uint64_t t0 = now_ns();

	pp_turn = 0;
	pp_count = 0;
	if (!kthread_create("ping", pp_ping, NULL) || !kthread_create("pong", pp_pong, NULL)) {
		st_fail("kthread_create", 0, 0);
		return;
	}
	wait_threads(2);
	pr_info("sched-selftest: ping-pong %d handoffs in %lu us\n", pp_count,
		(unsigned long)((now_ns() - t0) / 1000));
	if (pp_count != 2 * PINGPONG_ROUNDS)
		st_fail("ping-pong count", pp_count, 2 * PINGPONG_ROUNDS);
}

/* --- a wakeup inside the window between the test and the sleep --- */

static struct wait_queue window_wq = WAIT_QUEUE_INIT;
static volatile bool window_flag;

static void window_wake(struct timer_list *t)
{
	(void)t;
	window_flag = true;
	wake_up(&window_wq);
}

/*
 * Holds the window open: prepare_to_wait, then spin (interrupts on) until a
 * timer callback has set the flag and called wake_up.  schedule_until must
 * then return at once rather than sleep until its 1 s deadline.
 */
static void test_wakeup_window(void)
{
	struct timer_list timer;
	struct wait_entry we;
	uint64_t t0;
	bool woken;

	window_flag = false;
	timer_setup(&timer, window_wake);
	prepare_to_wait(&window_wq, &we);
	mod_timer_ms(&timer, 2);
	while (!window_flag)
		cpu_relax();
	t0 = now_ns();
	woken = schedule_until(now_ns() + NSEC_PER_SEC);
	t0 = now_ns() - t0;
	finish_wait(&window_wq, &we);
	del_timer(&timer);
	pr_info("sched-selftest: wakeup in the window: schedule_until returned %d after %lu us\n",
		woken, (unsigned long)(t0 / 1000));
	if (!woken || t0 > 10 * NSEC_PER_MSEC)
		st_fail("wakeup lost between prepare_to_wait and schedule", t0, woken);
}

/* --- sleep_ns accuracy --- */

static void test_sleep(void)
{
	static const unsigned ms[] = { 1, 3, 10, 50 };

	for (unsigned i = 0; i < ARRAY_SIZE(ms); i++) {
		uint64_t want = ms[i] * NSEC_PER_MSEC, t0 = now_ns(), el;

		sleep_ns(want);
		el = now_ns() - t0;
		pr_info("sched-selftest: sleep_ns(%u ms) slept %lu us\n", ms[i],
			(unsigned long)(el / 1000));
		if (el < want)
			st_fail("sleep_ns woke early", el, want);
		if (el > want + LATE_OK_NS)
			st_fail("sleep_ns far too late", el, want);
	}
}

/* --- timers fire in expiry order --- */

struct order_timer {
	struct timer_list timer;
	uint64_t expires;
	uint64_t fired_jiffies;
};

static struct order_timer order_timers[NR_ORDER_TIMERS];
static int order_log[NR_ORDER_TIMERS];
static volatile int order_n;
static struct wait_queue order_wq = WAIT_QUEUE_INIT;

static void order_fire(struct timer_list *t)
{
	struct order_timer *ot = from_timer(ot, t, timer);

	ot->fired_jiffies = jiffies;
	order_log[order_n++] = (int)(ot - order_timers);
	wake_up(&order_wq);
}

static void test_timer_order(void)
{
	/* Index i fires i-th; armed in a scrambled order, all within level 0. */
	static const unsigned delay[NR_ORDER_TIMERS] = { 2, 5, 9, 14, 20, 27, 35, 44, 52, 61 };
	static const int arm_order[NR_ORDER_TIMERS] = { 7, 2, 9, 0, 5, 3, 8, 1, 6, 4 };
	uint64_t base = jiffies;

	order_n = 0;
	for (int k = 0; k < NR_ORDER_TIMERS; k++) {
		struct order_timer *ot = &order_timers[arm_order[k]];

		timer_setup(&ot->timer, order_fire);
		ot->expires = base + delay[arm_order[k]];
		mod_timer(&ot->timer, ot->expires);
	}
	if (wait_event_timeout(order_wq, order_n == NR_ORDER_TIMERS, NSEC_PER_SEC)) {
		st_fail("timers did not all fire", order_n, NR_ORDER_TIMERS);
		for (int i = 0; i < NR_ORDER_TIMERS; i++)
			del_timer(&order_timers[i].timer);
		return;
	}
	for (int i = 0; i < NR_ORDER_TIMERS; i++) {
		const struct order_timer *ot = &order_timers[i];

		if (order_log[i] != i)
			st_fail("timer fired out of order", i, order_log[i]);
		if (ot->fired_jiffies < ot->expires)
			st_fail("timer fired early", ot->fired_jiffies, ot->expires);
	}
	pr_info("sched-selftest: %d timers fired in order, last %lu jiffies late\n",
		NR_ORDER_TIMERS, (unsigned long)(order_timers[NR_ORDER_TIMERS - 1].fired_jiffies -
						 order_timers[NR_ORDER_TIMERS - 1].expires));
}

/* --- cooperative rule --- */

static volatile bool bystander_ran;

static void bystander(void *arg)
{
	(void)arg;
	bystander_ran = true;
	thread_done();
}

/* A runnable thread must not run while this one spins, though ticks do. */
static void test_cooperative(void)
{
	uint64_t j0 = jiffies, t0 = now_ns();

	bystander_ran = false;
	if (!kthread_create("bystander", bystander, NULL)) {
		st_fail("kthread_create", 0, 0);
		return;
	}
	while (now_ns() - t0 < 20 * NSEC_PER_MSEC)
		cpu_relax();
	if (bystander_ran)
		st_fail("a thread ran without the current one yielding", 0, 0);
	if (jiffies - j0 < 5)
		st_fail("no ticks while spinning", jiffies - j0, 5);
	wait_threads(1);
}

/* --- softirq budget and ksoftirqd --- */

static volatile bool flood_on;
static uint64_t flood_runs, flood_runs_ksoftirqd;

static void flood_action(void)
{
	flood_runs++;
	if (!strcmp(task_name(current_task()), "ksoftirqd"))
		flood_runs_ksoftirqd++;
	if (flood_on)
		raise_softirq(NET_RX_SOFTIRQ);
}

/*
 * NET_RX re-raises itself without end: irq_exit and bh enable must stop
 * after their budget and leave it to ksoftirqd, and this thread's sleep
 * must still end on time.  NET_RX's own handler is put back afterwards.
 */
static void test_softirq_flood(void)
{
	const struct softirq_stats *st = softirq_get_stats();
	uint64_t deferred0 = st->deferred, rounds0 = st->ksoftirqd_runs, t0, el;
	softirq_action_t saved;

	local_bh_disable();
	saved = open_softirq(NET_RX_SOFTIRQ, flood_action);
	flood_on = true;
	raise_softirq(NET_RX_SOFTIRQ);
	local_bh_enable();		/* runs one budget's worth right here */
	t0 = now_ns();
	sleep_ns(30 * NSEC_PER_MSEC);
	el = now_ns() - t0;
	flood_on = false;
	sleep_ns(2 * NSEC_PER_MSEC);	/* ksoftirqd drains the last raise */
	local_bh_disable();
	open_softirq(NET_RX_SOFTIRQ, saved);
	local_bh_enable();
	pr_info("sched-selftest: flood ran %lu times (%lu in ksoftirqd), deferred +%lu, "
		"ksoftirqd rounds +%lu, 30 ms sleep took %lu us\n",
		(unsigned long)flood_runs, (unsigned long)flood_runs_ksoftirqd,
		(unsigned long)(st->deferred - deferred0), (unsigned long)(st->ksoftirqd_runs - rounds0),
		(unsigned long)(el / 1000));
	if (st->deferred == deferred0)
		st_fail("softirq budget never deferred", 0, 0);
	if (flood_runs_ksoftirqd == 0)
		st_fail("ksoftirqd never ran the flood", 0, 0);
	if (el > 30 * NSEC_PER_MSEC + LATE_OK_NS)
		st_fail("flood starved a sleeping thread", el, 30 * NSEC_PER_MSEC);
}

static void print_softirq_stats(void)
{
	const struct softirq_stats *st = softirq_get_stats();

	for (int nr = 0; nr < NR_SOFTIRQS; nr++)
		pr_info("softirq: %-6s runs %lu time %lu us\n", softirq_name(nr),
			(unsigned long)st->count[nr], (unsigned long)(st->time_ns[nr] / 1000));
	pr_info("softirq: deferred %lu, ksoftirqd rounds %lu\n", (unsigned long)st->deferred,
		(unsigned long)st->ksoftirqd_runs);
}

static void selftest_main(void *arg)
{
	(void)arg;
	test_pingpong();
	test_wakeup_window();
	test_sleep();
	test_timer_order();
	test_cooperative();
	test_softirq_flood();
	print_softirq_stats();
	if (failures) {
		pr_err("sched-selftest: FAIL (%d checks failed)\n", failures);
		qemu_exit(1);
	}
	pr_info("sched-selftest: ok\n");
	qemu_exit(0);
}

void sched_selftest(void)
{
	if (!param_is("test", "sched"))
		return;
	if (!kthread_create("selftest", selftest_main, NULL))
		pr_err("sched-selftest: FAIL cannot create thread\n");
}
