/*
 * A harness check, not an example: an image that powers off cleanly without running any
 * self-test. The boot matrix boots it as if it were the self-test image (tools/matrix.py,
 * expect no-summary), and tools/run.py must fail that run: a clean power-off proves
 * nothing when no test said it passed.
 */
#include <arbor/kernel.h>

int app_main(void)
{
	return 0;
}
