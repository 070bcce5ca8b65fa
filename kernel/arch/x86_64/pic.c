/*
 * The 8259 PICs power up delivering IRQ 0-7 on vectors 8-15, on top of
 * CPU exceptions.  They are reinitialized to vectors 0x20-0x2f first, so
 * that even a spurious IRQ 7/15 raised after masking (the 8259 can still
 * do that) lands on a vector the dispatcher counts as unexpected rather
 * than posing as a double fault, and then every input is masked: the
 * I/O APIC takes over.
 */
#include "kernel/arch/x86_64/pic.h"

#include "kernel/arch/x86_64/vectors.h"
#include "kernel/kernel.h"

#define PIC1_CMD	0x20
#define PIC1_DATA	0x21
#define PIC2_CMD	0xa0
#define PIC2_DATA	0xa1

#define ICW1_INIT_ICW4	0x11	/* edge, cascade, ICW4 follows */
#define ICW4_8086	0x01

/* A write to an unused port gives the old PIC time to settle. */
static void pic_out(uint16_t port, uint8_t v)
{
	outb(port, v);
	outb(0x80, 0);
}

void pic_disable(void)
{
	pic_out(PIC1_CMD, ICW1_INIT_ICW4);
	pic_out(PIC2_CMD, ICW1_INIT_ICW4);
	pic_out(PIC1_DATA, VECTOR_PIC_BASE);		/* ICW2: vector base */
	pic_out(PIC2_DATA, VECTOR_PIC_BASE + 8);
	pic_out(PIC1_DATA, 1u << 2);			/* ICW3: slave on IRQ 2 */
	pic_out(PIC2_DATA, 2);				/* ICW3: cascade identity */
	pic_out(PIC1_DATA, ICW4_8086);
	pic_out(PIC2_DATA, ICW4_8086);
	pic_out(PIC1_DATA, 0xff);			/* OCW1: mask everything */
	pic_out(PIC2_DATA, 0xff);
}
