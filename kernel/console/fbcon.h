/* Framebuffer text console: the boot framebuffer as a scrolling terminal. */
#ifndef SYNACK_KERNEL_CONSOLE_FBCON_H
#define SYNACK_KERNEL_CONSOLE_FBCON_H

struct boot_info;

/*
 * Registers the framebuffer console if the boot loader left a 32 or 24 bpp
 * linear framebuffer and `console=` allows it (absent, "both" or "fb").
 * Needs params_init().  Maps the framebuffer with ioremap(), so before
 * paging_init() it must lie below 4 GiB (else it is left unused).
 */
void fbcon_init(const struct boot_info *bi);

#endif
