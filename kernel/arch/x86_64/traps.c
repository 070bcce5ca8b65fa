/*
 * CPU exceptions (vectors 0-31).  Every exception except NMI is a kernel
 * bug here (there is no user mode and no demand paging), so the handler
 * prints an oops-style report, the vector and its name, the error code
 * (decoded for #PF), all registers, CR2 for #PF, RIP with its symbol and a
 * backtrace of the faulting context, then panics, which halts and exits
 * QEMU.  An NMI is logged and survived.  Runs with interrupts off, on the
 * faulting stack or an IST stack (#DF, NMI, #MC).
 */
#include "kernel/arch/x86_64/trap.h"

#include "kernel/arch/x86_64/backtrace.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/kernel.h"
#include "kernel/ksyms.h"
#include "kernel/panic.h"
#include "kernel/printk.h"

#define VECTOR_NMI		2
#define VECTOR_PAGE_FAULT	14

static const char *const exception_names[32] = {
	[0] = "#DE divide error",		[1] = "#DB debug",
	[2] = "NMI",				[3] = "#BP breakpoint",
	[4] = "#OF overflow",			[5] = "#BR bound range exceeded",
	[6] = "#UD invalid opcode",		[7] = "#NM device not available",
	[8] = "#DF double fault",		[9] = "coprocessor segment overrun",
	[10] = "#TS invalid TSS",		[11] = "#NP segment not present",
	[12] = "#SS stack-segment fault",	[13] = "#GP general protection",
	[14] = "#PF page fault",		[16] = "#MF x87 floating-point error",
	[17] = "#AC alignment check",		[18] = "#MC machine check",
	[19] = "#XM SIMD floating-point",	[20] = "#VE virtualization",
	[21] = "#CP control protection",	[28] = "#HV hypervisor injection",
	[29] = "#VC VMM communication",		[30] = "#SX security",
};

static const char *exception_name(uint64_t vector)
{
	const char *name = vector < 32 ? exception_names[vector] : NULL;

	return name ? name : "reserved";
}

/* #PF error code bits: P, W/R, U/S, RSVD, I/D, PK, SS. */
static void print_pf_error(uint64_t err)
{
	printk(LOG_EMERG, "page fault: %s %s, %s mode%s%s\n",
	       err & 0x10 ? "instruction fetch" : err & 2 ? "write" : "read",
	       err & 1 ? "protection violation" : "not present",
	       err & 4 ? "user" : "kernel",
	       err & 8 ? ", reserved bit set" : "",
	       err & 0x20 ? ", protection key" : "");
}

static void print_registers(const struct trap_frame *tf)
{
	char sym[128];

	ksyms_format(sym, sizeof(sym), tf->rip);
	printk(LOG_EMERG, "RIP: %04lx:%016lx %s\n", (unsigned long)tf->cs,
	       (unsigned long)tf->rip, sym);
	printk(LOG_EMERG, "RSP: %04lx:%016lx RFLAGS: %016lx\n", (unsigned long)tf->ss,
	       (unsigned long)tf->rsp, (unsigned long)tf->rflags);
	printk(LOG_EMERG, "RAX: %016lx RBX: %016lx RCX: %016lx\n",
	       (unsigned long)tf->rax, (unsigned long)tf->rbx, (unsigned long)tf->rcx);
	printk(LOG_EMERG, "RDX: %016lx RSI: %016lx RDI: %016lx\n",
	       (unsigned long)tf->rdx, (unsigned long)tf->rsi, (unsigned long)tf->rdi);
	printk(LOG_EMERG, "RBP: %016lx R8:  %016lx R9:  %016lx\n",
	       (unsigned long)tf->rbp, (unsigned long)tf->r8, (unsigned long)tf->r9);
	printk(LOG_EMERG, "R10: %016lx R11: %016lx R12: %016lx\n",
	       (unsigned long)tf->r10, (unsigned long)tf->r11, (unsigned long)tf->r12);
	printk(LOG_EMERG, "R13: %016lx R14: %016lx R15: %016lx\n",
	       (unsigned long)tf->r13, (unsigned long)tf->r14, (unsigned long)tf->r15);
	printk(LOG_EMERG, "CR0: %016lx CR3: %016lx CR4: %016lx\n",
	       (unsigned long)read_cr0(), (unsigned long)read_cr3(), (unsigned long)read_cr4());
}

static void __attribute__((noreturn)) exception_fatal(const struct trap_frame *tf, uint64_t cr2)
{
	static int nested;
	char sym[128];

	if (nested++) {
		/* Faulted while reporting: say the least that can still work, once. */
		if (nested == 2)
			kputs("exception: recursive fault in the exception handler\n");
		qemu_exit(1);
		halt_forever();
	}
	printk(LOG_EMERG, "exception: vector %lu (%s), error code %#lx\n",
	       (unsigned long)tf->vector, exception_name(tf->vector),
	       (unsigned long)tf->error_code);
	if (tf->vector == VECTOR_PAGE_FAULT) {
		printk(LOG_EMERG, "CR2: %016lx\n", (unsigned long)cr2);
		print_pf_error(tf->error_code);
	}
	print_registers(tf);
	backtrace_print(tf->rbp);
	ksyms_format(sym, sizeof(sym), tf->rip);
	panic("fatal exception %lu (%s) at %s", (unsigned long)tf->vector,
	      exception_name(tf->vector), sym);
}

void exception_handle(struct trap_frame *tf)
{
	/* Read CR2 before anything else can fault and overwrite it. */
	uint64_t cr2 = read_cr2();

	if (tf->vector == VECTOR_NMI) {
		pr_warn("nmi: at %016lx (NMI reason port %#x), continuing\n",
			(unsigned long)tf->rip, inb(0x61));
		return;
	}
	exception_fatal(tf, cr2);
}
