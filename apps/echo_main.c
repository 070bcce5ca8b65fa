/*
 * The echo service's kernel side: a late initcall opens the sockets
 * (so port 7 answers from the moment threads run) and starts the "echo"
 * kernel thread that runs the epoll loop forever; the service's counters
 * join the MIB registry as the "Echo" family.  Sockets are bound to
 * INADDR_ANY, so the order against kernel/net_boot.c's interface
 * configuration (also a late initcall) does not matter.
 *
 * Context: boot (the initcall), then the echo thread.
 */
#include "apps/echo.h"
#include "apps/http_main.h"

#include "kernel/initcall.h"
#include "kernel/printk.h"
#include "kernel/sched/sched.h"
#include "net/core/stats.h"

static struct echo_server *echo;
static const char *const echo_mib_names[] = { ECHO_MIB_LIST(MIB_NAME) };
static struct mib echo_mib = MIB_INIT("Echo", echo_mib_names, NULL);

static void echo_thread(void *arg)
{
	(void)arg;
	for (;;) {
		int n = echo_server_poll(echo, -1);

		if (n < 0) {
			pr_err("echo: epoll_wait failed (%d), stopping\n", n);
			return;
		}
	}
}

static int echo_init(void)
{
	int err = echo_server_start(&echo, ECHO_PORT);

	if (err) {
		pr_err("echo: cannot open port %d (%d)\n", ECHO_PORT, err);
		return err;
	}
	http_app_start(echo);	/* port 80 joins the loop; a failure is logged */
	if (!kthread_create("echo", echo_thread, NULL)) {
		echo_server_stop(echo);
		pr_err("echo: no memory for the thread\n");
		return -ENOMEM;
	}
	echo_mib.counters = echo_server_stats(echo);
	mib_register(&echo_mib);
	pr_info("echo: serving port %d\n", ECHO_PORT);
	return 0;
}
late_initcall(echo_init);
