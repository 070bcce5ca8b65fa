/*
 * CMOS RTC read at boot (rtc.h).  The registers are read while no update
 * is in progress (status A bit 7), twice until two reads agree, since an
 * update can start between two register reads; BCD and 12-hour modes are
 * converted by status B.  The century register (0x32) is used when it
 * holds a plausible value, else the 2000s are assumed.
 *
 * Context: boot.
 */
#include "kernel/rtc.h"

#include <stdbool.h>

#include "kernel/initcall.h"
#include "kernel/kernel.h"
#include "kernel/printk.h"
#include "kernel/time.h"

#define CMOS_INDEX	0x70
#define CMOS_DATA	0x71
#define CMOS_NMI_OFF	0x80		/* keep NMIs masked while indexing */

enum { RTC_SEC = 0x00, RTC_MIN = 0x02, RTC_HOUR = 0x04, RTC_DAY = 0x07, RTC_MONTH = 0x08,
       RTC_YEAR = 0x09, RTC_STATUS_A = 0x0a, RTC_STATUS_B = 0x0b, RTC_CENTURY = 0x32 };

#define STATUS_A_UIP	0x80		/* update in progress */
#define STATUS_B_24H	0x02
#define STATUS_B_BIN	0x04
#define HOUR_PM		0x80
#define UIP_SPINS	100000

struct rtc_time {
	unsigned int sec, min, hour, day, month, year, century;
};

static uint64_t boot_epoch;

static uint8_t cmos_read(uint8_t reg)
{
	outb(CMOS_INDEX, CMOS_NMI_OFF | reg);
	return inb(CMOS_DATA);
}

static bool rtc_read_raw(struct rtc_time *t)
{
	for (int i = 0; i < UIP_SPINS && (cmos_read(RTC_STATUS_A) & STATUS_A_UIP); i++)
		;
	if (cmos_read(RTC_STATUS_A) & STATUS_A_UIP)
		return false;
	t->sec = cmos_read(RTC_SEC);
	t->min = cmos_read(RTC_MIN);
	t->hour = cmos_read(RTC_HOUR);
	t->day = cmos_read(RTC_DAY);
	t->month = cmos_read(RTC_MONTH);
	t->year = cmos_read(RTC_YEAR);
	t->century = cmos_read(RTC_CENTURY);
	return true;
}

static unsigned int bcd(unsigned int v)
{
	return (v & 0x0f) + (v >> 4) * 10;
}

static void rtc_normalize(struct rtc_time *t, uint8_t status_b)
{
	bool pm = t->hour & HOUR_PM;

	t->hour &= ~HOUR_PM;
	if (!(status_b & STATUS_B_BIN)) {
		t->sec = bcd(t->sec);
		t->min = bcd(t->min);
		t->hour = bcd(t->hour);
		t->day = bcd(t->day);
		t->month = bcd(t->month);
		t->year = bcd(t->year);
		t->century = bcd(t->century);
	}
	if (!(status_b & STATUS_B_24H))
		t->hour = t->hour % 12 + (pm ? 12 : 0);
	if (t->century < 19 || t->century > 99)
		t->century = 20;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; March-based years
 * put the leap day at a year's end). */
static uint64_t days_from_civil(unsigned int y, unsigned int m, unsigned int d)
{
	uint64_t yy = y - (m <= 2), era = yy / 400, yoe = yy - era * 400;
	uint64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	uint64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

static int rtc_init(void)
{
	struct rtc_time a, b;
	unsigned int year;
	uint64_t now;

	do {
		if (!rtc_read_raw(&a) || !rtc_read_raw(&b))
			return 0;
	} while (a.sec != b.sec || a.min != b.min || a.hour != b.hour || a.day != b.day);
	rtc_normalize(&a, cmos_read(RTC_STATUS_B));
	year = a.century * 100 + a.year;
	if (a.month < 1 || a.month > 12 || a.day < 1 || a.day > 31 || a.hour > 23 ||
	    a.min > 59 || a.sec > 60 || year < 1970) {
		pr_warn("rtc: implausible time, Date fields count from 1970\n");
		return 0;
	}
	now = days_from_civil(year, a.month, a.day) * 86400 + a.hour * 3600 + a.min * 60 + a.sec;
	boot_epoch = now - now_ns() / NSEC_PER_SEC;
	pr_info("rtc: %04u-%02u-%02u %02u:%02u:%02u UTC\n", year, a.month, a.day, a.hour, a.min,
		a.sec);
	return 0;
}
device_initcall(rtc_init);

uint64_t rtc_boot_epoch(void)
{
	return boot_epoch;
}
