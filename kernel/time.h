/*
 * Kernel time.  now_ns() is monotonic nanoseconds since boot from the TSC,
 * valid from the first instruction (it reads 0 until the TSC frequency is
 * known).  jiffies is that clock in HZ units, sampled at each LAPIC tick
 * (kernel/timer.c), so ticks lost under emulation never slow timers down.
 */
#ifndef SYNACK_KERNEL_TIME_H
#define SYNACK_KERNEL_TIME_H

#include <stdint.h>

#define HZ 1000
#define NSEC_PER_SEC	1000000000ull
#define NSEC_PER_MSEC	1000000ull
#define NSEC_PER_USEC	1000ull

uint64_t now_ns(void);
extern volatile uint64_t jiffies;

/* The TSC frequency as the platform reports it, else measured against the
 * PIT (time_init.c); it hands it to time_set_tsc_khz(). */
void time_init(void);
void time_set_tsc_khz(uint64_t khz);
/* Calls measure() until two results agree within 1/256 and returns their
 * mean; failing that in 5 calls, their median (and says so, naming what). */
uint64_t calibrate_agreeing(uint64_t (*measure)(void), const char *what);
uint64_t tsc_khz(void);
/* The TSC at the first instruction of the boot path (boot/boot.c sets it
 * before kernel_main) and the microseconds since then, 0 while the TSC
 * frequency is unknown. */
void time_set_boot_tsc(uint64_t tsc);
uint64_t time_since_boot_us(void);
/* Busy-waits; usable before interrupts are on. */
void udelay(uint64_t us);

#endif
