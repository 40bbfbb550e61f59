/*
 * Time for the C library: gettimeofday (which time() calls; newlib through _gettimeofday,
 * rt/libc/newlib/) and clock_gettime.
 *
 *   CLOCK_REALTIME, gettimeofday, time   Xen's wall clock (xen_wallclock(): the shared-info
 *                                        page's wc_* plus the time since boot). Without it
 *                                        (Xen not detected, no shared-info page) they count
 *                                        from the Unix epoch at boot: the monotonic clock.
 *   CLOCK_MONOTONIC (and _RAW, _COARSE)  time_now_ns(): the virtual counter since boot.
 *
 * Anything else is EINVAL. The time zone argument of gettimeofday is ignored (zeroed when
 * given), as POSIX allows.
 */
#define _GNU_SOURCE	/* CLOCK_MONOTONIC and the other clock ids */
#include <errno.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include <arbor/time.h>
#include <arbor/xen.h>

static void realtime(uint64_t *sec, uint32_t *nsec)
{
	if (xen_wallclock(sec, nsec) == 0)
		return;
	uint64_t ns = time_now_ns();
	*sec = ns / NSEC_PER_SEC;
	*nsec = (uint32_t)(ns % NSEC_PER_SEC);
}

int clock_gettime(clockid_t clock_id, struct timespec *tp)
{
	uint64_t sec, ns;
	uint32_t nsec;

	switch (clock_id) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		realtime(&sec, &nsec);
		tp->tv_sec = (time_t)sec;
		tp->tv_nsec = nsec;
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
		ns = time_now_ns();
		tp->tv_sec = (time_t)(ns / NSEC_PER_SEC);
		tp->tv_nsec = (long)(ns % NSEC_PER_SEC);
		return 0;
	default:
		errno = EINVAL;
		return -1;
	}
}

int gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
	uint64_t sec;
	uint32_t nsec;

	if (tz)
		memset(tz, 0, sizeof(struct timezone));
	if (!tv)
		return 0;
	realtime(&sec, &nsec);
	tv->tv_sec = (time_t)sec;
	tv->tv_usec = (suseconds_t)(nsec / 1000);
	return 0;
}
