/*
 * 16550 UART console on COM1 (0x3f8), 115200 8N1, polled output.  A
 * machine without a UART reads back 0xff from the scratch register; then
 * no console is registered (real PCs often have no serial port).
 */
#include "kernel/console/serial.h"

#include "kernel/kernel.h"
#include "kernel/printk.h"

#define COM1 0x3f8

enum {
	UART_DATA = 0, UART_IER = 1, UART_FCR = 2, UART_LCR = 3, UART_MCR = 4,
	UART_LSR = 5, UART_SCR = 7,
};

#define LSR_THRE 0x20

static uint16_t serial_port;

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

static void serial_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			uart_putc(serial_port, '\r');
		uart_putc(serial_port, (uint8_t)s[i]);
	}
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

void serial_console_init(void)
{
	if (!serial_probe(COM1))
		return;
	serial_port = COM1;
	console_register(&serial_console);
}

int serial_getc(void)
{
	if (!serial_port || !(inb(serial_port + UART_LSR) & 1))
		return -1;
	return inb(serial_port + UART_DATA);
}
