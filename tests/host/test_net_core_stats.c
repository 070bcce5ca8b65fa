/*
 * MIB registry: a family declared from an X-macro list, registration
 * order, lookup by family and counter name, /proc/net/snmp-style output
 * (also into a short buffer), the core families net_dev_init registers,
 * and printing one device's counters.
 */
#include "net/core/stats.h"

#include "net/core/netdevice.h"
#include "tests/host/check.h"
#include "tests/host/net_fake_dev.h"
#include "tests/host/net_platform_host.h"

#define TEST_MIB_LIST(X) X(InThings) X(OutThings) X(Weird)

struct test_mib {
	TEST_MIB_LIST(MIB_FIELD)
};

static const char *const test_names[] = { TEST_MIB_LIST(MIB_NAME) };
static struct test_mib test_stats = { .InThings = 3, .OutThings = 12345678901ull };
static struct mib test_entry = MIB_INIT("Test", test_names, &test_stats);

static void test_family(void)
{
	char buf[256], small[12];
	const struct mib *m;
	int n, families = 0;

	mib_register(&test_entry);
	mib_register(&test_entry);
	for (m = mib_first(); m; m = m->next)
		families++;
	CHECK_EQ(families, 5);			/* 4 core + this one */
	CHECK(mib_find("Test") == &test_entry);
	CHECK(mib_find("Nope") == NULL);
	CHECK_EQ(test_entry.count, 3);
	CHECK_EQ(mib_value(&test_entry, 1), 12345678901ull);
	CHECK_EQ(mib_value(&test_entry, 3), 0);
	CHECK_EQ(mib_lookup(&test_entry, "InThings"), 3);
	CHECK_EQ(mib_lookup(&test_entry, "Missing"), (uint64_t)-1);

	n = mib_format(&test_entry, buf, sizeof(buf));
	CHECK_STR(buf, "Test: InThings OutThings Weird\nTest: 3 12345678901 0\n");
	CHECK_EQ(n, (int)strlen(buf));
	CHECK_EQ(mib_format(&test_entry, small, sizeof(small)), n);
	CHECK_STR(small, "Test: InThi");
	mib_unregister(&test_entry);
	CHECK(mib_find("Test") == NULL);
}

static void test_core_families(void)
{
	struct fake_dev *fd = fake_dev_create(1);
	const struct mib *softnet = mib_find("Softnet");
	uint8_t frame[60] = { 0 };
	char buf[1024];

	CHECK(softnet != NULL);
	CHECK(mib_find("Skb") && mib_find("Netfilter") && mib_find("Pcap"));
	memcpy(frame, fd->dev->dev_addr, 6);
	fake_dev_inject(fd, frame, sizeof(frame));	/* ethertype 0: unknown */
	fake_dev_irq(fd);
	host_run_softirqs(0);
	CHECK_EQ(mib_lookup(softnet, "processed"), 1);
	CHECK_EQ(mib_lookup(softnet, "unknown_ethertype"), 1);
	CHECK_EQ(mib_lookup(mib_find("Skb"), "skbs_alive"), 0);

	struct mib dev = MIB_INIT(fd->dev->name, netdev_stats_names, &fd->dev->stats);
	mib_format(&dev, buf, sizeof(buf));
	CHECK(!strncmp(buf, "eth0: rx_packets tx_packets", 27));
	CHECK(strstr(buf, "\neth0: 1 0 60 0 ") != NULL);
	CHECK_EQ(mib_lookup(&dev, "rx_nohandler"), 1);
	fake_dev_destroy(fd);
}

int main(void)
{
	net_dev_init();
	test_family();
	test_core_families();
	return check_report();
}
