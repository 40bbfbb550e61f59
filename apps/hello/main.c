/*
 * The smallest application: print through the C library and return. Returning 0 from
 * app_main powers the domain off.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <arbor/kernel.h>

int app_main(void)
{
	const char *who = "Arbor";
	char *greeting = malloc(64);
	struct timespec up;

	if (!greeting)
		return 1;
	snprintf(greeting, 64, "hello, world from %s", who);
	printf("%s\n", greeting);
	free(greeting);
	clock_gettime(CLOCK_MONOTONIC, &up);
	printf("hello: up %lld.%03ld s, the wall clock says %lld\n", (long long)up.tv_sec,
	       up.tv_nsec / 1000000, (long long)time(NULL));
	return 0;
}
