/*
 * Locks for picolibc's internal state (its retargetable locking API, sys/lock.h), mapped to
 * sched/'s mutexes.
 *
 * What picolibc 1.8 actually calls (nm of its libc.a): the recursive pair, acquire_recursive
 * and release_recursive on the one static lock __lock___libc_recursive_mutex, from malloc,
 * free, realloc, mallinfo, atexit/exit, getenv/setenv, arc4random and the time-zone code;
 * and the plain pair, acquire and release, from tinystdio's buffered files (bufio, freopen).
 * The init/close and try_acquire entry points are provided for completeness of the API.
 *
 * A lock is a mutex plus, for the recursive kind, how often its owner holds it. Threads
 * only: libc is never called from an interrupt handler. Before sched_init() there is no
 * current thread and nothing can contend, so locking is then a no-op.
 */
#include <stdlib.h>
#include <sys/lock.h>

#include <arbor/sched.h>

struct __lock {
	struct mutex mutex;
	unsigned depth;		/* recursive locks: acquisitions by the owner not yet released */
};

struct __lock __lock___libc_recursive_mutex = { MUTEX_INIT, 0 };

void __retarget_lock_init(_LOCK_T *lock)
{
	*lock = calloc(1, sizeof(**lock));
}

void __retarget_lock_init_recursive(_LOCK_T *lock)
{
	__retarget_lock_init(lock);
}

void __retarget_lock_close(_LOCK_T lock)
{
	free(lock);
}

void __retarget_lock_close_recursive(_LOCK_T lock)
{
	free(lock);
}

void __retarget_lock_acquire(_LOCK_T lock)
{
	if (lock && thread_current())
		mutex_lock(&lock->mutex);
}

void __retarget_lock_release(_LOCK_T lock)
{
	if (lock && thread_current())
		mutex_unlock(&lock->mutex);
}

int __retarget_lock_try_acquire(_LOCK_T lock)
{
	if (!lock || !thread_current())
		return 1;
	if (lock->mutex.owner)
		return 0;
	mutex_lock(&lock->mutex);	/* free, and nothing runs in between: does not block */
	return 1;
}

void __retarget_lock_acquire_recursive(_LOCK_T lock)
{
	if (!lock || !thread_current())
		return;
	if (lock->mutex.owner == thread_current()) {
		lock->depth++;
		return;
	}
	mutex_lock(&lock->mutex);
	lock->depth = 1;
}

void __retarget_lock_release_recursive(_LOCK_T lock)
{
	if (!lock || !thread_current())
		return;
	if (--lock->depth == 0)
		mutex_unlock(&lock->mutex);
}

int __retarget_lock_try_acquire_recursive(_LOCK_T lock)
{
	if (!lock || !thread_current())
		return 1;
	if (lock->mutex.owner && lock->mutex.owner != thread_current())
		return 0;
	__retarget_lock_acquire_recursive(lock);
	return 1;
}
