/*
 * 16550 UART console on COM1 (0x3f8), 115200 8N1, polled output that
 * never waits on the UART unless told to (printk.c drains its ring into it).  A
 * machine without a UART reads back 0xff from the scratch register; then
 * no console is registered (real PCs often have no serial port).
 *
 * Input is polled until serial_rx_irq_enable(): from then on the IRQ4
 * handler drains the receive FIFO into a ring (one producer, the handler;
 * one consumer, serial_getc) and calls the notify hook, so a reader can
 * sleep instead of polling.  The handler must drain: ISA IRQs are edge
 * triggered, and a FIFO left non-empty would never raise another edge.
 */
#include "kernel/console/serial.h"

#include "kernel/arch/x86_64/irq.h"
#include "kernel/errno.h"
#include "kernel/kernel.h"
#include "kernel/params.h"
#include "kernel/printk.h"

#define COM1 0x3f8

enum {
	UART_DATA = 0, UART_IER = 1, UART_IIR = 2, UART_FCR = 2, UART_LCR = 3, UART_MCR = 4,
	UART_LSR = 5, UART_SCR = 7,
};

#define LSR_DR		0x01	/* receive data ready */
#define LSR_THRE	0x20
#define IER_RDI		0x01	/* interrupt on received data (and FIFO timeout) */
#define COM1_ISA_IRQ	4

#define RX_RING_SIZE	256u	/* power of two: indices wrap freely */

static uint16_t serial_port;
static unsigned int tx_fifo_size = 1;	/* bytes THR takes once THRE is set */

static struct {
	uint8_t buf[RX_RING_SIZE];
	volatile unsigned int head;	/* written by the IRQ handler */
	volatile unsigned int tail;	/* written by serial_getc */
	bool irq_mode;
	void (*notify)(void);
	uint64_t overruns;		/* bytes lost to a full ring */
} rx;

static void uart_putc(uint16_t port, uint8_t c)
{
	for (int spin = 0; spin < 100000 && !(inb(port + UART_LSR) & LSR_THRE); spin++)
		cpu_relax();
	outb(port + UART_DATA, c);
}

void serial_port_write(uint16_t port, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	for (size_t i = 0; i < len; i++)
		uart_putc(port, p[i]);
}

/* THRE set: the transmit FIFO is empty.  A UART that never sets it gets
 * written after a bounded wait, as uart_putc does. */
static bool uart_tx_ready(bool wait)
{
	for (int spin = 0; spin < 100000; spin++) {
		if (inb(serial_port + UART_LSR) & LSR_THRE)
			return true;
		if (!wait)
			return false;
		cpu_relax();
	}
	return true;
}

/* An empty FIFO takes tx_fifo_size bytes at once: one status read per
 * FIFO load, not per byte.  Without `wait`, stops at the first FIFO that
 * is not empty yet.  '\n' goes out as "\r\n"; cr_sent remembers a '\r'
 * that filled the FIFO before its '\n'. */
static size_t serial_write(const char *s, size_t len, bool wait)
{
	static bool cr_sent;
	size_t done = 0;

	while (done < len && uart_tx_ready(wait)) {
		for (unsigned int room = tx_fifo_size; room && done < len; room--) {
			if (s[done] == '\n' && !cr_sent) {
				outb(serial_port + UART_DATA, '\r');
				cr_sent = true;
				continue;
			}
			outb(serial_port + UART_DATA, (uint8_t)s[done++]);
			cr_sent = false;
		}
	}
	return done;
}

static struct console serial_console = {
	.name = "ttyS0",
	.write = serial_write,
};

bool serial_probe(uint16_t port)
{
	outb(port + UART_SCR, 0x5a);
	if (inb(port + UART_SCR) != 0x5a)
		return false;
	outb(port + UART_IER, 0x00);
	outb(port + UART_LCR, 0x80);		/* DLAB */
	outb(port + UART_DATA, 1);		/* divisor 1: 115200 */
	outb(port + UART_IER, 0);
	outb(port + UART_LCR, 0x03);		/* 8N1 */
	outb(port + UART_FCR, 0xc7);		/* FIFO on, cleared, 14-byte threshold */
	outb(port + UART_MCR, 0x0b);		/* DTR, RTS, OUT2 */
	return true;
}

/* A 16550A reports its FIFOs on in IIR bits 7:6; an 8250/16450 has none
 * and its THR holds one byte. */
static unsigned int uart_tx_fifo_size(uint16_t port)
{
	return (inb(port + UART_IIR) & 0xc0) == 0xc0 ? 16 : 1;
}

/* console=fb silences the serial console once the command line is known;
 * until then it carried the early boot messages. */
void serial_console_apply_params(void)
{
	if (serial_port && !param_console_enabled("serial"))
		console_unregister(&serial_console);
}

void serial_console_init(void)
{
	if (!serial_probe(COM1))
		return;
	serial_port = COM1;
	tx_fifo_size = uart_tx_fifo_size(COM1);
	console_register(&serial_console);
}

/* Hard IRQ: moves every waiting byte into the ring, then notifies. */
static void serial_rx_irq(void *arg)
{
	(void)arg;
	while (inb(serial_port + UART_LSR) & LSR_DR) {
		uint8_t c = inb(serial_port + UART_DATA);

		if (rx.head - rx.tail < RX_RING_SIZE) {
			rx.buf[rx.head % RX_RING_SIZE] = c;
			barrier();	/* the byte before the index that publishes it */
			rx.head++;
		} else {
			rx.overruns++;
		}
	}
	if (rx.notify)
		rx.notify();
}

int serial_rx_irq_enable(void (*notify)(void))
{
	bool level, active_low;
	uint32_t gsi;
	int vector, err;

	if (!serial_port)
		return -ENODEV;
	vector = irq_alloc_vector(serial_rx_irq, NULL);
	if (vector < 0)
		return vector;
	rx.notify = notify;
	rx.irq_mode = true;
	gsi = irq_isa_to_gsi(COM1_ISA_IRQ, &level, &active_low);
	err = ioapic_route_gsi(gsi, vector, level, active_low);
	if (err) {
		rx.irq_mode = false;
		irq_free_vector(vector);
		return err;
	}
	/* Enabling the interrupt with bytes already waiting raises it at once. */
	outb(serial_port + UART_IER, IER_RDI);
	return 0;
}

uint64_t serial_rx_overruns(void)
{
	return rx.overruns;
}

int serial_getc(void)
{
	int c;

	if (!serial_port)
		return -1;
	if (!rx.irq_mode) {
		if (!(inb(serial_port + UART_LSR) & LSR_DR))
			return -1;
		return inb(serial_port + UART_DATA);
	}
	if (rx.tail == rx.head)
		return -1;
	c = rx.buf[rx.tail % RX_RING_SIZE];
	barrier();	/* read the byte before handing its slot back */
	rx.tail++;
	return c;
}
