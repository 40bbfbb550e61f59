/*
 * What tests/host/host_printk.c records of the kernel code's pr_err() and pr_warn() calls.
 */
#ifndef HOST_PRINTK_H
#define HOST_PRINTK_H

extern char host_last_err[];
extern char host_last_warn[];
extern char host_text[];	/* printk() and pr_info() text since the last reset (its end) */
extern unsigned host_err_count;
extern unsigned host_warn_count;

/* Forget earlier messages; each test starts with this. */
void host_printk_reset(void);

#endif
