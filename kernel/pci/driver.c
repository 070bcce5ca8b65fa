/*
 * The PCI driver registry.  Drivers register from device initcalls,
 * after enumeration (a subsys initcall) has filled the device table, so
 * registration binds at once; enumeration also offers each new device to
 * the drivers already registered, so neither order loses a device.  A
 * device is bound to the first driver whose probe() accepts it.
 * Thread context at boot.
 */
#include "kernel/errno.h"
#include "kernel/pci/pci.h"
#include "kernel/printk.h"

static struct pci_driver *drivers;

/* Binds dev to drv if drv's table matches and its probe accepts. */
static void pci_try_driver(struct pci_dev *dev, struct pci_driver *drv)
{
	const struct pci_device_id *id = pci_match_id(drv->id_table, dev);
	char name[16];
	int err;

	if (!id)
		return;
	pci_name(dev, name, sizeof(name));
	err = drv->probe(dev, id);
	if (err) {
		pr_warn("pci %s %04x:%04x: driver %s probe failed: error %d\n",
			name, dev->vendor, dev->device, drv->name, err);
		return;
	}
	dev->driver = drv;
	pr_info("pci %s %04x:%04x: bound to driver %s\n", name, dev->vendor, dev->device,
		drv->name);
}

void pci_bind_device(struct pci_dev *dev)
{
	for (struct pci_driver *drv = drivers; drv && !dev->driver; drv = drv->next)
		pci_try_driver(dev, drv);
}

static void pci_bind_unbound(struct pci_dev *dev, void *arg)
{
	if (!dev->driver)
		pci_try_driver(dev, arg);
}

int pci_register_driver(struct pci_driver *drv)
{
	struct pci_driver **pp = &drivers;

	for (; *pp; pp = &(*pp)->next)
		if (*pp == drv)
			return -EBUSY;
	drv->next = NULL;
	*pp = drv;
	pci_for_each_dev(pci_bind_unbound, drv);
	return 0;
}
