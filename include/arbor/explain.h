/*
 * Explaining a device tree: every step platform/ takes to read a node, in words, for people
 * learning device-tree probing and for error messages that teach (platform/explain.c).
 *
 * The same code serves dtprobe --explain on the build machine and the kernel's
 * probe=explain bootarg, so what a learner reads on the host is what the kernel does at
 * boot. Explaining needs only the index, not a probed platform: it works on any tree, even
 * a fragment Arbor could not boot from (no memory, no GIC).
 */
#ifndef ARBOR_EXPLAIN_H
#define ARBOR_EXPLAIN_H

#include <arbor/dt.h>
#include <arbor/driver.h>
#include <arbor/format.h>

/*
 * One node, step by step: status; where reg and interrupts lie in the blob and their bytes;
 * the cell counts and the node each came from; each reg entry's cells, bus address, every
 * ranges hop and CPU address; the interrupt parent and how it was found, each specifier
 * decoded; the compatible strings tried, in order, and the driver and level that matched.
 */
void platform_explain_node(const struct dt *dt, int node, struct sink *out);

/* Every node, in tree order, separated by blank lines. */
void platform_explain_all(const struct dt *dt, struct sink *out);

/*
 * probe=explain: when /chosen/bootargs asks for it, platform_explain_all() to the console,
 * between "explain: begin" and "explain: end". The kernel calls it before platform_probe(),
 * so the steps are shown even for a tree the probe then refuses.
 */
void platform_explain_if_asked(const struct dt *dt);

/*
 * Why reg entry index of node cannot be read, in words naming the property, its length, the
 * entry size expected and the cell counts with the node each came from, or the bus whose
 * ranges is at fault: the tail of a message after "<path>: ", without a newline. Nothing
 * when the entry reads (the words are for dt_reg()'s failures).
 */
void platform_reg_why(const struct dt *dt, int node, int index, struct sink *out);

/*
 * pr_err() the message for a reg entry that failed: "<path>: reg entry <index> (<what>):
 * <platform_reg_why>" (what may be NULL), or with index -1, for a reg that is malformed as
 * a whole, "<path>: <platform_reg_why>". Returns -EINVAL, for the caller to return.
 */
int platform_reg_error(const struct dt *dt, int node, int index, const char *what);

/*
 * Print one error for a node whose interrupts cannot be read (err from dt_irq_count or
 * dt_irq): the interrupt-parent value and the node it comes from for a dangling, looping or
 * non-controller parent; the length against the parent's #interrupt-cells for a short
 * property; else err's words. Returns -EINVAL.
 */
int platform_irq_count_error(const struct dt *dt, int node, int err);

/*
 * Why no driver of level took any node (only PROBE_IRQCHIP and PROBE_TIMER are required):
 * pr_err() "no <what>: <node> is present but disabled", "...: compatible X matches no driver
 * (drivers know: ...)", or "no <what> in the device tree" when the tree has nothing like one.
 */
void platform_explain_missing(const struct dt *dt, enum probe_level level, const char *what);

/* "irqchip", "timer"...: a probe level's name. */
const char *probe_level_name(enum probe_level level);

#endif
