/*
 * Console output on an Arm PL011 UART or the SBSA Generic UART, the PL011 subset Xen
 * emulates for a domU given vpl011 (its "vpl011", compatible "arm,sbsa-uart").
 *
 * Output only, polled: wait while the transmit FIFO is full (UARTFR.TXFF), then write the
 * byte to UARTDR. The wait is bounded, so a UART that stops draining fails the write and the
 * console falls back to console_io instead of hanging the kernel. Registers are the PL011
 * TRM's (ARM DDI 0183, 3.2 "Summary of registers"); the SBSA UART keeps UARTDR and UARTFR at
 * the same offsets but has no UARTCR, UARTLCR_H or baud-rate divisors (Arm BSA, Appendix B
 * "Generic UART"), so those are only touched on a full PL011 -- and there only UARTCR, to
 * make sure the transmitter is enabled: the line settings and baud rate are whatever the
 * firmware (the owner of stdout-path) set up, as Arbor does not know the UART's clock.
 *
 * Line ends: on a PL011, '\n' is sent as "\r\n", as a serial terminal needs. On the SBSA
 * UART it is sent alone: that is what Xen's vpl011 presents, and Xen collects a domU's bytes
 * into a line that it prints at '\n' (or after 126 bytes) as "(XEN) DOM1: ..." with its own
 * line end -- a '\r' from the guest came out as "\r\r\n" on the serial line and stayed in
 * Xen's console log. (A real SBSA UART behind a terminal would want the '\r'; none is in
 * sight for a Xen guest.)
 *
 * This is the console's only MMIO driver; it lives in console/ next to the backend selection
 * (see console.c for why not in platform/).
 */
#include <errno.h>
#include <string.h>

#include <arbor/arch.h>
#include <arbor/console.h>
#include <arbor/mmu.h>
#include <arbor/printk.h>
#include <arch/io.h>

#define UARTDR       0x000
#define UARTFR       0x018
#define UARTCR       0x030	/* PL011 only */

#define UARTFR_TXFF  (1u << 5)	/* transmit FIFO full */
#define UARTCR_UARTEN (1u << 0)
#define UARTCR_TXE   (1u << 8)

/* Longer than a full 32-byte FIFO takes to drain at 9600 baud (~33 ms). */
#define TXFF_WAIT_MS  100

static uintptr_t regs;		/* the mapped registers (arch/io.h accessors only) */
static bool crlf;		/* send '\r' before each '\n' */

static struct console_backend uart_console = {
	.kind = CONSOLE_UART,
};

static inline uint32_t reg_read(unsigned off)
{
	return mmio_read32(regs + off);
}

static inline void reg_write(unsigned off, uint32_t val)
{
	mmio_write32(regs + off, val);
}

static int put_byte(char c, uint64_t *deadline)
{
	while (reg_read(UARTFR) & UARTFR_TXFF) {
		uint64_t now = arch_counter();
		if (!*deadline)
			*deadline = now + arch_counter_freq() * TXFF_WAIT_MS / 1000;
		else if (now > *deadline)
			return -ETIMEDOUT;
	}
	reg_write(UARTDR, (unsigned char)c);
	return 0;
}

static long uart_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t deadline = 0;	/* set on the first full FIFO, per byte */
		int err;

		if (s[i] == '\n' && crlf && (err = put_byte('\r', &deadline)))
			return err;
		if ((err = put_byte(s[i], &deadline)))
			return err;
	}
	return (long)n;
}

const struct console_backend *pl011_console_init(paddr_t base, uint64_t size,
						 const char *compatible, void *(*map)(paddr_t, uint64_t))
{
	bool sbsa = strcmp(compatible, "arm,sbsa-uart") == 0;
	uint64_t need = sbsa ? UARTFR + 4 : UARTCR + 4;

	if (size < need) {
		pr_err("console: UART at 0x%llx: reg size 0x%llx, the registers need 0x%llx\n",
		       (unsigned long long)base, (unsigned long long)size, (unsigned long long)need);
		return NULL;
	}
	regs = (uintptr_t)map(base, size);
	if (!regs)
		return NULL;
	if (!sbsa) {
		uint32_t cr = reg_read(UARTCR);
		if ((cr & (UARTCR_UARTEN | UARTCR_TXE)) != (UARTCR_UARTEN | UARTCR_TXE))
			reg_write(UARTCR, cr | UARTCR_UARTEN | UARTCR_TXE);
	}
	crlf = !sbsa;
	uart_console.name = sbsa ? "sbsa-uart" : "pl011";
	uart_console.base = base;
	uart_console.write = uart_write;
	return &uart_console;
}
