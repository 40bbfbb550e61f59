/*
 * newlib's system interface (LIBC=newlib, arm32): the "syscalls" its libc.a leaves
 * undefined, as Arbor provides them.
 *
 *   _write    file descriptors 1 and 2 go to the console (console_write, after any partial
 *             printk line); _isatty says yes for 0-2, so newlib line-buffers stdout and
 *             stderr is unbuffered. Other descriptors: EBADF. Reads give end of file.
 *   _sbrk     rt/libc/heap.c.
 *   _gettimeofday, _exit   rt/libc/time.c's realtime and rt/libc/exit.c.
 *   _getpid, _kill         one process: abort() (raise(SIGABRT) -> _kill) ends the domain
 *             with _exit(128 + signal), a crash.
 *   __malloc_lock/__malloc_unlock   a recursive sched/ mutex around malloc.
 *
 * newlib keeps errno and its stdio state in one global struct _reent (_impure_ptr; Debian
 * builds it without __DYNAMIC_REENT__), so errno is shared by all threads in this build:
 * libc_errno_per_thread() says so and the self-test of per-thread errno skips.
 */
#include <errno.h>
#include <reent.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <arbor/console.h>
#include <arbor/libc.h>
#include <arbor/printk.h>
#include <arbor/sched.h>

int gettimeofday(struct timeval *restrict tv, void *restrict tz);

void *_sbrk(ptrdiff_t incr)
{
	return libc_heap_sbrk(incr);
}

int _write(int fd, const char *buf, size_t n)
{
	if (fd != 1 && fd != 2) {
		errno = EBADF;
		return -1;
	}
	printk_flush();
	long w = console_write(buf, n);
	if (w < 0) {
		errno = EIO;
		return -1;
	}
	return (int)w;
}

int _read(int fd, char *buf, size_t n)
{
	(void)fd;
	(void)buf;
	(void)n;
	return 0;
}

int _close(int fd)
{
	(void)fd;
	return 0;
}

int _fstat(int fd, struct stat *st)
{
	(void)fd;
	st->st_mode = S_IFCHR;
	return 0;
}

int _isatty(int fd)
{
	return fd >= 0 && fd <= 2;
}

off_t _lseek(int fd, off_t off, int whence)
{
	(void)fd;
	(void)off;
	(void)whence;
	errno = ESPIPE;
	return -1;
}

int _getpid(void)
{
	return 1;
}

int _kill(int pid, int sig)
{
	if (pid != 1) {
		errno = ESRCH;
		return -1;
	}
	_exit(128 + sig);
}

int _gettimeofday(struct timeval *tv, void *tz)
{
	return gettimeofday(tv, tz);
}

/* malloc's lock: recursive (free may run inside malloc's own locked region). */
static struct mutex malloc_mutex = MUTEX_INIT;
static unsigned malloc_depth;

void __malloc_lock(struct _reent *r)
{
	(void)r;
	if (!thread_current())
		return;
	if (malloc_mutex.owner == thread_current()) {
		malloc_depth++;
		return;
	}
	mutex_lock(&malloc_mutex);
	malloc_depth = 1;
}

void __malloc_unlock(struct _reent *r)
{
	(void)r;
	if (thread_current() && --malloc_depth == 0)
		mutex_unlock(&malloc_mutex);
}

bool libc_errno_per_thread(void)
{
	return false;
}
