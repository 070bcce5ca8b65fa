/*
 * softirq.c over a fake port: a fake interrupt flag, a fake clock that
 * handlers move, and a counter of ksoftirqd wakeups.  Checks when softirqs
 * run (irq_exit, bh enable, never nested), in which context, the budget
 * (10 passes, 2 ms), deferral to ksoftirqd and the backlog rule.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/softirq.h"
#include "kernel/softirq_port.h"
#include "tests/host/check.h"

static bool irq_on = true;
static uint64_t fake_ns;
static int wakes;

bool softirq_port_irq_save(void)
{
	bool was = irq_on;

	irq_on = false;
	return was;
}

void softirq_port_irq_restore(bool was_on)
{
	if (was_on)
		irq_on = true;
}

void softirq_port_irq_enable(void)	{ irq_on = true; }
void softirq_port_irq_disable(void)	{ irq_on = false; }
uint64_t softirq_port_now_ns(void)	{ return fake_ns; }
void softirq_port_wake_ksoftirqd(void)	{ wakes++; }

/* What a handler saw; how it behaves. */
static int runs[NR_SOFTIRQS];
static int bad_context;
static int reraise_left[NR_SOFTIRQS];
static uint64_t cost_ns[NR_SOFTIRQS];
static int chain_to[NR_SOFTIRQS];	/* vector + 1 a run raises once, or 0 */
static bool nest_irq;

static void handler(enum softirq_nr nr)
{
	runs[nr]++;
	if (!irq_on || !in_serving_softirq() || in_irq() || !in_interrupt())
		bad_context++;
	fake_ns += cost_ns[nr];
	if (reraise_left[nr] > 0) {
		reraise_left[nr]--;
		raise_softirq(nr);
	}
	if (chain_to[nr]) {
		raise_softirq((enum softirq_nr)(chain_to[nr] - 1));
		chain_to[nr] = 0;
	}
	if (nest_irq) {
		/* An interrupt arrives while the handler runs. */
		nest_irq = false;
		irq_on = false;
		irq_enter();
		raise_softirq(NET_TX_SOFTIRQ);
		irq_exit();
		irq_on = true;
		if (runs[NET_TX_SOFTIRQ])
			bad_context++;	/* ran nested */
	}
}

static void timer_action(void)	{ handler(TIMER_SOFTIRQ); }
static void tx_action(void)	{ handler(NET_TX_SOFTIRQ); }
static void rx_action(void)	{ handler(NET_RX_SOFTIRQ); }

static void reset_runs(void)
{
	for (int i = 0; i < NR_SOFTIRQS; i++) {
		runs[i] = 0;
		reraise_left[i] = 0;
		cost_ns[i] = 0;
		chain_to[i] = 0;
	}
	wakes = 0;
}

/* A hard interrupt whose handler raises `nr`. */
static void fake_irq(enum softirq_nr nr)
{
	irq_on = false;
	irq_enter();
	CHECK(in_irq());
	raise_softirq(nr);
	irq_exit();
	CHECK(!irq_on);
	irq_on = true;
}

static void test_names(void)
{
	CHECK_STR(softirq_name(TIMER_SOFTIRQ), "TIMER");
	CHECK_STR(softirq_name(NET_TX_SOFTIRQ), "NET_TX");
	CHECK_STR(softirq_name(NET_RX_SOFTIRQ), "NET_RX");
	CHECK_STR(softirq_name(NR_SOFTIRQS), "?");
}

static void test_irq_exit_runs(void)
{
	reset_runs();
	fake_irq(NET_RX_SOFTIRQ);
	CHECK_EQ(runs[NET_RX_SOFTIRQ], 1);
	CHECK_EQ(wakes, 0);
	CHECK(!in_interrupt());
	CHECK(!softirq_pending_any());
	CHECK_EQ(softirq_get_stats()->count[NET_RX_SOFTIRQ], 1);
}

static void test_thread_raise_wakes(void)
{
	reset_runs();
	raise_softirq(TIMER_SOFTIRQ);
	CHECK_EQ(wakes, 1);
	CHECK_EQ(runs[TIMER_SOFTIRQ], 0);
	CHECK(!softirq_run_ksoftirqd());
	CHECK_EQ(runs[TIMER_SOFTIRQ], 1);
	CHECK(irq_on);
}

static void test_nested_irq(void)
{
	reset_runs();
	nest_irq = true;
	fake_irq(NET_RX_SOFTIRQ);
	/* The nested raise ran after the handler, in the same irq_exit. */
	CHECK_EQ(runs[NET_RX_SOFTIRQ], 1);
	CHECK_EQ(runs[NET_TX_SOFTIRQ], 1);
}

static void test_bh_disable(void)
{
	reset_runs();
	local_bh_disable();
	CHECK(in_softirq());
	CHECK(!in_serving_softirq());
	local_bh_disable();
	fake_irq(NET_RX_SOFTIRQ);
	CHECK_EQ(runs[NET_RX_SOFTIRQ], 0);
	raise_softirq(NET_TX_SOFTIRQ);
	CHECK_EQ(wakes, 0);		/* the bh enable below will run it */
	local_bh_enable();
	CHECK_EQ(runs[NET_RX_SOFTIRQ], 0);
	local_bh_enable();
	CHECK_EQ(runs[NET_RX_SOFTIRQ], 1);
	CHECK_EQ(runs[NET_TX_SOFTIRQ], 1);
	CHECK(!in_softirq());
	CHECK(irq_on);

	/* Enabling with interrupts off leaves the work to ksoftirqd. */
	local_bh_disable();
	fake_irq(NET_RX_SOFTIRQ);
	irq_on = false;
	local_bh_enable();
	CHECK(!irq_on);
	irq_on = true;
	CHECK_EQ(runs[NET_RX_SOFTIRQ], 1);
	CHECK_EQ(wakes, 1);
	CHECK(!softirq_run_ksoftirqd());
	CHECK_EQ(runs[NET_RX_SOFTIRQ], 2);
}

/* A vector that re-raises itself: 10 passes, then ksoftirqd owns it. */
static void test_budget_rounds(void)
{
	const struct softirq_stats *st = softirq_get_stats();
	uint64_t deferred0 = st->deferred;

	reset_runs();
	reraise_left[NET_RX_SOFTIRQ] = 1000;
	fake_irq(NET_RX_SOFTIRQ);
	CHECK_EQ(runs[NET_RX_SOFTIRQ], 10);
	CHECK_EQ(st->deferred, deferred0 + 1);
	CHECK_EQ(wakes, 1);
	CHECK(softirq_pending_any());

	/* Backlog: irq_exit now runs TIMER only. */
	fake_irq(TIMER_SOFTIRQ);
	CHECK_EQ(runs[TIMER_SOFTIRQ], 1);
	CHECK_EQ(runs[NET_RX_SOFTIRQ], 10);
	fake_irq(NET_RX_SOFTIRQ);
	CHECK_EQ(runs[NET_RX_SOFTIRQ], 10);

	/* ksoftirqd drains it in budgeted rounds. */
	int rounds = 0;

	while (softirq_run_ksoftirqd())
		rounds++;
	CHECK_EQ(runs[NET_RX_SOFTIRQ], 1001);
	CHECK_EQ(rounds, 99);
	CHECK_EQ(st->deferred, deferred0 + 1);

	/* Backlog gone: irq_exit runs the network vectors again. */
	fake_irq(NET_RX_SOFTIRQ);
	CHECK_EQ(runs[NET_RX_SOFTIRQ], 1002);
}

/* Handlers costing 0.7 ms each: the 2 ms budget stops after the third pass. */
static void test_budget_time(void)
{
	const struct softirq_stats *st = softirq_get_stats();
	uint64_t deferred0 = st->deferred;
	uint64_t time0 = st->time_ns[NET_TX_SOFTIRQ];

	reset_runs();
	reraise_left[NET_TX_SOFTIRQ] = 1000;
	cost_ns[NET_TX_SOFTIRQ] = 700000;
	fake_irq(NET_TX_SOFTIRQ);
	CHECK_EQ(runs[NET_TX_SOFTIRQ], 3);
	CHECK_EQ(st->deferred, deferred0 + 1);
	CHECK_EQ(st->time_ns[NET_TX_SOFTIRQ] - time0, 3 * 700000);
	reraise_left[NET_TX_SOFTIRQ] = 0;
	while (softirq_run_ksoftirqd())
		;
	CHECK(!softirq_pending_any());
}

/*
 * ksoftirqd's last budgeted round leaves only TIMER, which the next
 * irq_exit runs (urgent), so ksoftirqd finds nothing and sleeps with the
 * backlog still marked.  Network work raised from an interrupt after that
 * must still reach ksoftirqd: it used to sit pending for good (NET_RX
 * pending, NAPI scheduled, ksoftirqd asleep: the virtio-net wedge).
 */
static void test_backlog_ksoftirqd_idle(void)
{
	reset_runs();
	reraise_left[NET_RX_SOFTIRQ] = 10;
	fake_irq(NET_RX_SOFTIRQ);		/* 10 passes: ksoftirqd owns the rest */
	CHECK_EQ(wakes, 1);
	cost_ns[NET_RX_SOFTIRQ] = 2500000;	/* its last NET_RX run ends the budget */
	chain_to[NET_RX_SOFTIRQ] = TIMER_SOFTIRQ + 1;
	CHECK(softirq_run_ksoftirqd());		/* TIMER left */
	fake_irq(TIMER_SOFTIRQ);		/* runs it: nothing pending */
	CHECK(!softirq_pending_any());		/* ksoftirqd goes to sleep */
	wakes = 0;
	cost_ns[NET_RX_SOFTIRQ] = 0;
	fake_irq(NET_RX_SOFTIRQ);
	CHECK(runs[NET_RX_SOFTIRQ] == 12 || wakes == 1);
	while (softirq_run_ksoftirqd())
		;
	CHECK_EQ(runs[NET_RX_SOFTIRQ], 12);
	fake_irq(NET_RX_SOFTIRQ);		/* backlog over: inline again */
	CHECK_EQ(runs[NET_RX_SOFTIRQ], 13);
}

int main(void)
{
	CHECK(open_softirq(TIMER_SOFTIRQ, timer_action) == NULL);
	CHECK(open_softirq(TIMER_SOFTIRQ, timer_action) == timer_action);
	open_softirq(NET_TX_SOFTIRQ, tx_action);
	open_softirq(NET_RX_SOFTIRQ, rx_action);
	test_names();
	test_irq_exit_runs();
	test_thread_raise_wakes();
	test_nested_irq();
	test_bh_disable();
	test_budget_rounds();
	test_budget_time();
	test_backlog_ksoftirqd_idle();
	CHECK_EQ(bad_context, 0);
	return check_report();
}
