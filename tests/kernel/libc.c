/*
 * Self-tests of the C library glue (rt/libc/): printf through picolibc to the console,
 * malloc/free of many sizes with the heap reusing what was freed, time/gettimeofday/
 * clock_gettime against the kernel's clocks, and errno kept per thread (TLS, sched/tls.c)
 * where the library does so (picolibc; not newlib, LIBC=newlib on arm32).
 *
 * Floating point is not formatted here: the kernel, tests included, is built with
 * -mgeneral-regs-only on arm64 and cannot pass a double. picolibc's default printf does
 * support %f/%g (its tinystdio "double" variant, _IO_FLOAT_EXACT).
 */
#define _GNU_SOURCE	/* CLOCK_MONOTONIC and the other clock ids */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include <arbor/libc.h>
#include <arbor/sched.h>
#include <arbor/selftest.h>
#include <arbor/time.h>
#include <arbor/xen.h>

SELFTEST(libc_printf)
{
	char buf[64];
	int n = printf("libc: printf %s %d 0x%x %lld\n", "works", -42, 0xbeefu, -1234567890123ll);

	EXPECT(n == (int)strlen("libc: printf works -42 0xbeef -1234567890123\n"),
	       "printf returned %d", n);
	/* %lu, not %zu: Debian's newlib is built without C99's size modifiers. */
	n = snprintf(buf, sizeof(buf), "%05d|%-4s|%c|%lu", 42, "ab", 'z', 7ul);
	EXPECT(n == 14 && strcmp(buf, "00042|ab  |z|7") == 0, "snprintf gave %d \"%s\"", n, buf);
	n = fprintf(stderr, "libc: stderr too\n");
	EXPECT(n == 17, "fprintf(stderr) returned %d", n);
	/* Cut short: the full length back, the buffer filled and terminated. */
	memset(buf, 'x', sizeof(buf));
	n = snprintf(buf, 5, "%s-%u", "abcdef", 12u);
	EXPECT(n == 9 && strcmp(buf, "abcd") == 0 && buf[5] == 'x',
	       "snprintf into 5 bytes gave %d \"%.5s\"", n, buf);
	n = snprintf(buf, sizeof(buf), "[%+5d|%-#6x|%.3s|%%]", 7, 0x1fu, "abcdef");
	EXPECT(n == 20 && strcmp(buf, "[   +7|0x1f  |abc|%]") == 0, "snprintf gave %d \"%s\"",
	       n, buf);
}

#define MALLOC_COUNT  200

/* Sizes from 1 byte to ~64 KiB, spread (a fixed LCG: repeatable). */
static size_t test_size(unsigned i, uint32_t *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return 1 + (*seed >> 8) % (1u << (1 + i % 16));
}

SELFTEST(libc_malloc_free)
{
	static unsigned char *p[MALLOC_COUNT];
	static size_t sz[MALLOC_COUNT];
	uint32_t seed = 1;
	unsigned bad = 0, failed = 0;
	struct libc_heap_stats first, again;

	for (int round = 0; round < 2; round++) {
		for (unsigned i = 0; i < MALLOC_COUNT; i++) {
			sz[i] = test_size(i, &seed);
			p[i] = malloc(sz[i]);
			if (!p[i]) {
				failed++;
				continue;
			}
			memset(p[i], (int)(i * 7 + 1), sz[i]);
		}
		/* Free every other one, then check every pattern (nothing overlapped). */
		for (unsigned i = 0; i < MALLOC_COUNT; i += 2) {
			free(p[i]);
			p[i] = NULL;
		}
		for (unsigned i = 1; i < MALLOC_COUNT; i += 2) {
			for (size_t j = 0; p[i] && j < sz[i]; j++)
				if (p[i][j] != (unsigned char)(i * 7 + 1)) {
					bad++;
					break;
				}
			free(p[i]);
		}
		libc_heap_get_stats(round ? &again : &first);
	}
	EXPECT(failed == 0, "%u of %u mallocs failed", failed, 2 * MALLOC_COUNT);
	EXPECT(bad == 0, "%u blocks lost their pattern", bad);
	EXPECT(first.base && first.used, "the heap was never reserved");
	/* The second round reuses what the first freed: the break does not move much. */
	EXPECT(again.used <= first.used + first.used / 4,
	       "freed memory not reused: %zu bytes in use after round 1, %zu after round 2",
	       first.used, again.used);

	printk("selftest:   libc: heap of %zu KiB; asking for more, an error line follows\n",
	       first.size / 1024);
	errno = 0;
	void *huge = malloc(first.size + 1);
	EXPECT(!huge && errno == ENOMEM, "malloc beyond the heap gave %p, errno %d", huge, errno);
	void *big = malloc(first.size / 2);
	EXPECT(big, "malloc of half the heap failed after freeing everything");
	free(big);
}

SELFTEST(libc_time)
{
	struct timespec mono, real;
	struct timeval tv;
	uint64_t wc_sec, before, after;
	uint32_t wc_nsec;

	before = time_now_ns();
	EXPECT(clock_gettime(CLOCK_MONOTONIC, &mono) == 0, "clock_gettime(MONOTONIC) failed");
	after = time_now_ns();
	uint64_t mono_ns = (uint64_t)mono.tv_sec * NSEC_PER_SEC + (uint64_t)mono.tv_nsec;
	EXPECT(mono_ns >= before && mono_ns <= after,
	       "CLOCK_MONOTONIC %llu ns outside time_now_ns() %llu..%llu",
	       (unsigned long long)mono_ns, (unsigned long long)before, (unsigned long long)after);

	EXPECT(clock_gettime(CLOCK_REALTIME, &real) == 0, "clock_gettime(REALTIME) failed");
	EXPECT(gettimeofday(&tv, NULL) == 0, "gettimeofday failed");
	time_t t = time(NULL);
	errno = 0;
	EXPECT(clock_gettime((clockid_t)99, &real) == -1 && errno == EINVAL,
	       "an unknown clock was accepted");

	if (xen_wallclock(&wc_sec, &wc_nsec) == 0) {
		/*
		 * Read in order real <= tv <= t <= wc, all within a second. (Xen's wall clock
		 * itself may be 0 plus uptime: a dom0less domU without a dom0 to set it.)
		 */
		EXPECT((uint64_t)real.tv_sec <= (uint64_t)tv.tv_sec && (uint64_t)tv.tv_sec <= (uint64_t)t &&
		       (uint64_t)t <= wc_sec && wc_sec - (uint64_t)real.tv_sec <= 1,
		       "REALTIME %lld, gettimeofday %lld, time %lld, xen_wallclock %llu disagree",
		       (long long)real.tv_sec, (long long)tv.tv_sec, (long long)t,
		       (unsigned long long)wc_sec);
	} else {
		/* No wall clock: realtime is the time since boot. */
		EXPECT((uint64_t)t <= time_now_ns() / NSEC_PER_SEC + 1,
		       "without a wall clock time() gave %lld", (long long)t);
	}
}

static int set_errno(void *arg)
{
	errno = (int)(intptr_t)arg;
	for (int i = 0; i < 4; i++) {
		sched_yield();
		if (errno != (int)(intptr_t)arg)
			return 1;
	}
	return 0;
}

SELFTEST(libc_errno_per_thread)
{
	SKIP_UNLESS(libc_errno_per_thread(), "this C library keeps errno in one global struct");
	errno = 1000;
	struct thread *a = thread_create("errno-a", set_errno, (void *)(intptr_t)1, 0);
	struct thread *b = thread_create("errno-b", set_errno, (void *)(intptr_t)2, 0);

	EXPECT(a && b, "thread_create failed");
	if (!a || !b)
		return;
	sched_yield();
	EXPECT(errno == 1000, "main's errno became %d", errno);
	EXPECT(thread_join(a) == 0, "thread A saw another thread's errno");
	EXPECT(thread_join(b) == 0, "thread B saw another thread's errno");
	EXPECT(errno == 1000, "main's errno became %d", errno);
}
