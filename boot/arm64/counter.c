/*
 * The generic timer's virtual counter (CNTVCT_EL0) and its frequency (CNTFRQ_EL0), for common
 * code that has no business including architecture headers (the register access itself is
 * in include/arm64/arch/timer.h, shared with time/).
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
