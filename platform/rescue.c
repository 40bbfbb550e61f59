/*
 * The description a dying boot gets when the real one failed: just enough to speak and to
 * power off (fdt/rescue.c reads it from the blob).
 *
 * kernel_main() calls this only when it must stop before any console exists: the DTB was
 * refused, or platform_probe() failed. Without it the last words went to console_io, which
 * nobody hears without Xen, and the halt to a PSCI node never probed: a silent hang. The
 * stdout-path UART is taken only when one of the console drivers lists one of its compatible
 * strings, exactly as the driver table would have matched it; its interrupt is not needed.
 */
#include <string.h>

#include <arbor/driver.h>
#include <arbor/dt.h>
#include <arbor/platform.h>

/* The string of the node's list (NUL-separated, len bytes) a PROBE_CONSOLE driver lists. */
static const char *console_match(const char *list, size_t len)
{
	for (const char *s = list; s < list + len; s += strlen(s) + 1)
		for (const struct platform_driver *d = __start_arbor_drivers;
		     d < __stop_arbor_drivers; d++)
			for (const char *c = d->compatible; d->level == PROBE_CONSOLE && *c;
			     c += strlen(c) + 1)
				if (!strcmp(s, c))
					return c;
	return NULL;
}

void platform_rescue(struct platform *plat, const void *fdt, size_t size)
{
	struct dt_rescue r;
	const char *compatible;

	plat->nuarts = 0;
	plat->console = -1;
	if (dt_rescue(fdt, size, &r))
		return;
	if (r.psci_method && !plat->psci.present) {
		plat->psci.present = true;
		plat->psci.method = !strcmp(r.psci_method, "hvc") ? PSCI_HVC : PSCI_SMC;
	}
	/* A hypervisor node and no PSCI to ask: Xen is there, and console_io will do. */
	if (r.hypervisor && !plat->psci.present)
		plat->xen.present = true;
	if (r.uart_compatible &&
	    (compatible = console_match(r.uart_compatible, r.uart_compatible_len))) {
		plat->uarts[0] = (struct platform_uart){
			.stdout_path = true, .compatible = compatible,
			.reg = { .base = r.uart_base, .size = r.uart_size },
		};
		plat->nuarts = 1;
		plat->console = 0;
	}
}
