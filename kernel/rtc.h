/*
 * The wall clock, read once from the CMOS real-time clock (MC146818,
 * ports 0x70/0x71) at boot: rtc_boot_epoch() is the Unix time at which
 * now_ns() was 0, so wall time is rtc_boot_epoch() + now_ns() / 1e9
 * (the HTTP Date field).  The RTC is taken to run in UTC, as QEMU's does
 * by default; 0 if the RTC gave nothing plausible.
 *
 * Context: rtc_read_boot_epoch at boot (an initcall); the getter anywhere.
 */
#ifndef SYNACK_KERNEL_RTC_H
#define SYNACK_KERNEL_RTC_H

#include <stdint.h>

uint64_t rtc_boot_epoch(void);

#endif
