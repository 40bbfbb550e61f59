/*
 * arm64: a new thread's first context: sp at the top of its stack, no frame record, and the
 * return address sched_thread_start(), where the first switch to it "returns".
 */
#include <string.h>

#include <arch/context.h>

void sched_thread_start(void);

void arch_context_init(struct arch_context *ctx, uintptr_t stack_top)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->sp = stack_top;
	ctx->lr = (uintptr_t)sched_thread_start;
}
