/* 16550 UART: COM1 console and raw access for other ports (pcap on COM2). */
#ifndef SYNACK_KERNEL_CONSOLE_SERIAL_H
#define SYNACK_KERNEL_CONSOLE_SERIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void serial_console_init(void);
/* Applies console= (after params_init): drops the serial console for console=fb. */
void serial_console_apply_params(void);
/* Programs a UART at `port` for 115200 8N1; false if none answers. */
bool serial_probe(uint16_t port);
/* Raw binary output to the UART at `port` (no newline translation). */
void serial_port_write(uint16_t port, const void *buf, size_t len);
/* Next received byte on the console port, or -1 if none is waiting. */
int serial_getc(void);
/* Switches console input to IRQ4: received bytes are buffered by the
 * interrupt handler, which then calls notify (hard-IRQ context: it may
 * only wake someone).  0, -ENODEV (no console UART) or an IRQ routing
 * error, after which input stays polled. */
int serial_rx_irq_enable(void (*notify)(void));
/* Received bytes dropped because the input ring was full. */
uint64_t serial_rx_overruns(void);

#endif
