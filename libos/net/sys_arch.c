/* libos/net/sys_arch.c: lwIP's sys_arch (NO_SYS=0): semaphores, mutexes, mailboxes and threads over libos's cooperative threads. */
#include <errno.h>
#include <stdlib.h>
#include "lwip/sys.h"
#include "lwip/err.h"
#include "../libos.h"

#define NS_PER_MS 1000000ll

void sys_init(void)
{
}

u32_t sys_now(void)
{
	int64_t ns = __uv_now_ns();
	return ns < 0 ? 0 : (u32_t)(ns / NS_PER_MS); /* wraps after 49 days, as lwIP expects */
}

/* lwIP's timeout in ms (0 = forever) as a libos deadline (0 = none). */
static int64_t deadline_of(u32_t timeout_ms)
{
	if (timeout_ms == 0)
		return 0;
	int64_t now = __uv_now_ns();
	return (now < 0 ? 0 : now) + (int64_t)timeout_ms * NS_PER_MS;
}

/* What sys_arch_sem_wait and sys_arch_mbox_fetch return on success: lwIP 2.1.3 wants "any
 * value but SYS_ARCH_TIMEOUT" (lwip/sys.h), so no clock is read to say how long it took. */
#define WAIT_DONE 0

sys_prot_t sys_arch_protect(void)
{
	return 0; /* cooperative threads: nothing preempts lwIP's critical sections */
}

void sys_arch_unprotect(sys_prot_t pval)
{
	(void)pval;
}

err_t sys_sem_new(sys_sem_t *sem, u8_t count)
{
	sem->valid = 1;
	sem->count = count;
	sem->waiters.head = sem->waiters.tail = 0;
	return ERR_OK;
}

void sys_sem_signal(sys_sem_t *sem)
{
	sem->count++;
	uv_waitq_wake_one(&sem->waiters);
}

u32_t sys_arch_sem_wait(sys_sem_t *sem, u32_t timeout)
{
	int64_t deadline = sem->count ? 0 : deadline_of(timeout); /* no clock read when it need not wait */
	while (sem->count == 0)
		if (uv_waitq_wait(&sem->waiters, deadline) == -ETIMEDOUT && sem->count == 0)
			return SYS_ARCH_TIMEOUT;
	sem->count--;
	return WAIT_DONE;
}

void sys_sem_free(sys_sem_t *sem)
{
	sem->valid = 0;
}

err_t sys_mutex_new(sys_mutex_t *m)
{
	m->valid = 1;
	m->m.owner = 0;
	m->m.waiters.head = m->m.waiters.tail = 0;
	return ERR_OK;
}

void sys_mutex_lock(sys_mutex_t *m)
{
	uv_mutex_lock_fast(&m->m);
}

void sys_mutex_unlock(sys_mutex_t *m)
{
	uv_mutex_unlock_fast(&m->m);
}

void sys_mutex_free(sys_mutex_t *m)
{
	m->valid = 0;
}

err_t sys_mbox_new(sys_mbox_t *mb, int size)
{
	if (size <= 0)
		size = 32;
	mb->slot = calloc((size_t)size, sizeof(void *));
	if (!mb->slot)
		return ERR_MEM;
	mb->size = (unsigned)size;
	mb->head = mb->count = 0;
	mb->readers.head = mb->readers.tail = 0;
	mb->writers.head = mb->writers.tail = 0;
	mb->valid = 1;
	return ERR_OK;
}

err_t sys_mbox_trypost(sys_mbox_t *mb, void *msg)
{
	if (mb->count == mb->size)
		return ERR_MEM;
	mb->slot[(mb->head + mb->count) % mb->size] = msg;
	mb->count++;
	uv_waitq_wake_one(&mb->readers);
	return ERR_OK;
}

err_t sys_mbox_trypost_fromisr(sys_mbox_t *mb, void *msg)
{
	return sys_mbox_trypost(mb, msg);
}

void sys_mbox_post(sys_mbox_t *mb, void *msg)
{
	while (sys_mbox_trypost(mb, msg) != ERR_OK)
		uv_waitq_wait(&mb->writers, 0);
}

u32_t sys_arch_mbox_tryfetch(sys_mbox_t *mb, void **msg)
{
	if (mb->count == 0)
		return SYS_MBOX_EMPTY;
	void *m = mb->slot[mb->head];
	mb->head = (mb->head + 1) % mb->size;
	mb->count--;
	uv_waitq_wake_one(&mb->writers);
	if (msg)
		*msg = m;
	return 0;
}

u32_t sys_arch_mbox_fetch(sys_mbox_t *mb, void **msg, u32_t timeout)
{
	int64_t deadline = mb->count ? 0 : deadline_of(timeout);
	while (mb->count == 0)
		if (uv_waitq_wait(&mb->readers, deadline) == -ETIMEDOUT && mb->count == 0) {
			if (msg)
				*msg = NULL;
			return SYS_ARCH_TIMEOUT;
		}
	sys_arch_mbox_tryfetch(mb, msg);
	return WAIT_DONE;
}

void sys_mbox_free(sys_mbox_t *mb)
{
	free(mb->slot);
	mb->slot = NULL;
	mb->valid = 0;
}

/* A thread of the stack (lwIP's tcpip thread); lwIP's prio has no meaning here. */
struct lwip_thread_arg {
	lwip_thread_fn fn;
	void *arg;
};

static void *lwip_thread_main(void *p)
{
	struct lwip_thread_arg a = *(struct lwip_thread_arg *)p;
	free(p);
	a.fn(a.arg);
	return NULL;
}

sys_thread_t sys_thread_new(const char *name, lwip_thread_fn fn, void *arg, int stacksize, int prio)
{
	(void)name;
	(void)prio;
	struct uv_thread *t;
	struct lwip_thread_arg *a = malloc(sizeof(*a));
	if (!a)
		LWIP_PLATFORM_ASSERT("sys_thread_new: out of memory");
	a->fn = fn;
	a->arg = arg;
	if (uv_thread_create(&t, lwip_thread_main, a, stacksize > 0 ? (size_t)stacksize : 0))
		LWIP_PLATFORM_ASSERT("sys_thread_new: cannot create the thread");
	return t;
}
