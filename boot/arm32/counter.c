/*
 * The generic timer's virtual counter (CNTVCT) and its frequency (CNTFRQ), for common
 * code that has no business including architecture headers (the register access itself is
 * in include/arm32/arch/timer.h, shared with time/).
 */
#include <arbor/arch.h>
#include <arch/timer.h>

uint64_t arch_counter(void)
{
	return arch_cntvct();
}

uint64_t arch_counter_freq(void)
{
	return arch_cntfrq();
}
