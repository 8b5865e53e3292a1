/* libos/include/uv_thread.h: cooperative threads for apps: create/join/yield, wait queues, a mutex and a condition. */
#ifndef UV_THREAD_H
#define UV_THREAD_H

#include <stddef.h>
#include <stdint.h>

/*
 * Threads are cooperative: one runs until it blocks (a wait, a lock, join, sleep, a
 * socket call that waits) or calls uv_thread_yield(). When no thread can run, libos
 * runs the idle hooks (the network stack drains its vNICs there) and then blocks the
 * whole app in the yield hypercall until the earliest deadline or a frame on a vNIC:
 * an idle app costs no CPU. errno is per thread. No thread is ever preempted, so code
 * between two blocking calls is atomic with respect to the other threads.
 */
struct uv_thread;

/* A FIFO of waiting threads; zero-initialised it is empty. */
struct uv_waitq {
	struct uv_thread *head, *tail;
};

#define UV_THREAD_STACK_DEFAULT (64u << 10)
#define UV_THREAD_STACK_MIN (16u << 10)

/*
 * Starts fn(arg) on a new thread with a stack of stack_size bytes (0: the default;
 * at least UV_THREAD_STACK_MIN). It runs when the caller next blocks or yields.
 * Returns 0 and *t, or -ENOMEM / -EINVAL (errno numbering, negated).
 */
int uv_thread_create(struct uv_thread **t, void *(*fn)(void *), void *arg, size_t stack_size);

/* Waits until t has returned, stores its result in *ret (if ret) and frees it. 0, or -EINVAL (t is the caller, or already joined). */
int uv_thread_join(struct uv_thread *t, void **ret);

/* t's resources are freed by itself when it returns (nobody joins it). 0, or -EINVAL (already joined or detached, or main). */
int uv_thread_detach(struct uv_thread *t);

/* Lets every other runnable thread run once (and polls the idle hooks when none is runnable). */
void uv_thread_yield(void);

/* The calling thread (the main thread too). */
struct uv_thread *uv_thread_self(void);

/*
 * Blocks the caller on q until uv_waitq_wake_* picks it or, with deadline_ns != 0,
 * until the monotonic clock (uv_monotonic_ns) reaches deadline_ns. Returns 0 when
 * woken, -ETIMEDOUT at the deadline.
 */
int uv_waitq_wait(struct uv_waitq *q, int64_t deadline_ns);
/* Makes the first waiter of q runnable; 1 if there was one, else 0. */
int uv_waitq_wake_one(struct uv_waitq *q);
/* Makes every waiter of q runnable; how many there were. */
unsigned uv_waitq_wake_all(struct uv_waitq *q);

/*
 * Idle hooks: when no thread can run, libos calls poll() (it may make threads runnable,
 * e.g. hand received frames to the network thread) and then blocks in the yield
 * hypercall with the union of the hooks' handle masks (bit h = vNIC h). At most
 * UV_IDLE_HOOKS_MAX hooks. 0 or -ENOSPC.
 */
#define UV_IDLE_HOOKS_MAX 4
int uv_thread_idle_hook(void (*poll)(void), uint64_t handle_mask);

/* A mutex (not recursive). Zero-initialised it is unlocked. */
struct uv_mutex {
	struct uv_thread *owner;
	struct uv_waitq waiters;
};
void uv_mutex_lock(struct uv_mutex *m);
int uv_mutex_trylock(struct uv_mutex *m); /* 0, or -EBUSY */
void uv_mutex_unlock(struct uv_mutex *m); /* the owner only */

/* The same, inline where no thread waits (the usual case: threads are cooperative, so a
 * free mutex is taken by one store); else the calls above. */
extern struct uv_thread *__uv_thread_cur; /* the running thread (thread.c) */
static inline void uv_mutex_lock_fast(struct uv_mutex *m)
{
	if (__builtin_expect(!m->owner, 1))
		m->owner = __uv_thread_cur;
	else
		uv_mutex_lock(m);
}
static inline void uv_mutex_unlock_fast(struct uv_mutex *m)
{
	if (__builtin_expect(m->owner == __uv_thread_cur && !m->waiters.head, 1))
		m->owner = 0;
	else
		uv_mutex_unlock(m); /* (a waiter to wake, or not the owner: it stops the app) */
}

/* A condition variable. Zero-initialised it has no waiters. */
struct uv_cond {
	struct uv_waitq waiters;
};
/* Unlocks m, waits for a signal (or deadline_ns != 0 passing: -ETIMEDOUT), locks m again. 0 when signalled. */
int uv_cond_wait(struct uv_cond *c, struct uv_mutex *m, int64_t deadline_ns);
void uv_cond_signal(struct uv_cond *c);
void uv_cond_broadcast(struct uv_cond *c);

#endif
