/* libos/thread.c: cooperative threads: the run queue, wait queues with deadlines, the idle loop that blocks the app in yield. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "libos.h"
#include "include/uv_thread.h"

#define STACK_ALIGN 16
#define STACK_CANARY 0x5354434b43414e59ull /* "YNACKCTS": written at a thread stack's lowest word */
#define SWITCH_FRAME_WORDS 7              /* six callee-saved registers + the return address */
#define NO_DEADLINE INT64_MAX

enum thread_state { T_RUNNABLE, T_WAITING, T_DONE };

struct uv_thread {
	uint64_t rsp;                /* saved while it does not run */
	enum thread_state state;
	struct uv_thread *run_next;  /* in the run queue */
	struct uv_waitq *waitq;      /* T_WAITING: the queue it is on */
	struct uv_thread *wait_next; /* in that queue */
	int64_t deadline;            /* T_WAITING: NO_DEADLINE or monotonic ns */
	int timed_out;
	struct uv_thread *all_next;  /* every live thread, for the deadline scan */
	void *(*fn)(void *);
	void *arg, *ret;
	struct uv_waitq joiner;
	int joined;                  /* join has been called, or it is detached */
	int detached;
	struct uv_thread *zombie_next; /* detached and done: freed by the next thread that runs */
	uint64_t *stack;             /* malloc'd; NULL for the main thread */
	int err;                     /* its errno while it does not run */
};

static struct uv_thread main_thread = { .state = T_RUNNABLE, .deadline = NO_DEADLINE };
struct uv_thread *__uv_thread_cur = &main_thread; /* the running thread (uv_thread.h's inline mutex reads it) */
static struct uv_thread *all = &main_thread;
static struct uv_thread *runq_head, *runq_tail;
static struct {
	void (*poll)(void);
	uint64_t mask;
} hooks[UV_IDLE_HOOKS_MAX];
static unsigned n_hooks;
static uint64_t idle_ready = UINT64_MAX; /* what the last yield reported ready; all: not known yet */
static int64_t hook_deadline = NO_DEADLINE; /* the earliest deadline the hooks gave in this idle pass */
static int64_t idle_now;                    /* the monotonic time this idle pass started */
static uint64_t (*idle_wait)(uint64_t deadline, uint64_t mask); /* __uv_idle_waiter's, or NULL */
static struct uv_thread *zombies;

void __uv_ctx_switch(uint64_t *save_rsp, uint64_t load_rsp);
void __uv_thread_trampoline(void);
void __uv_thread_start(struct uv_thread *t) __attribute__((noreturn));

static void die(const char *why)
{
	__uv_console_puts("libos: threads: ");
	__uv_console_puts(why);
	__uv_console_puts("\n");
	_exit(134);
}

static void runq_push(struct uv_thread *t)
{
	t->state = T_RUNNABLE;
	t->run_next = 0;
	if (runq_tail)
		runq_tail->run_next = t;
	else
		runq_head = t;
	runq_tail = t;
}

static struct uv_thread *runq_pop(void)
{
	struct uv_thread *t = runq_head;
	if (t) {
		runq_head = t->run_next;
		if (!runq_head)
			runq_tail = 0;
	}
	return t;
}

/* Takes t off the wait queue it is on (it must be on one). */
static void waitq_remove(struct uv_thread *t)
{
	struct uv_waitq *q = t->waitq;
	struct uv_thread **pp = &q->head, *prev = 0;
	while (*pp && *pp != t) {
		prev = *pp;
		pp = &(*pp)->wait_next;
	}
	if (!*pp)
		die("a waiting thread is not on its queue");
	*pp = t->wait_next;
	if (q->tail == t)
		q->tail = prev;
	t->waitq = 0;
	t->wait_next = 0;
}

/* Wakes waiters whose deadline has passed; returns the earliest deadline still ahead. */
static int64_t expire(int64_t now)
{
	int64_t next = NO_DEADLINE;
	for (struct uv_thread *t = all; t; t = t->all_next) {
		if (t->state != T_WAITING || t->deadline == NO_DEADLINE)
			continue;
		if (now >= t->deadline) {
			waitq_remove(t);
			t->timed_out = 1;
			runq_push(t);
		} else if (t->deadline < next) {
			next = t->deadline;
		}
	}
	return next;
}

/* No thread can run: poll the hooks, wake expired waiters, else block in yield. */
static void idle(void)
{
	uint64_t mask = 0;
	int64_t now = __uv_now_ns(); /* one clock read a pass: the hooks' (__uv_idle_now) too */
	idle_now = now < 0 ? 0 : now;
	hook_deadline = NO_DEADLINE;
	for (unsigned i = 0; i < n_hooks; i++) {
		hooks[i].poll();
		mask |= hooks[i].mask;
	}
	if (runq_head)
		return;
	/* a deadline that passed while the hooks ran is at most one pass late: yield returns at once */
	int64_t next = expire(idle_now);
	if (runq_head)
		return;
	if (hook_deadline < next)
		next = hook_deadline;
	if (next == NO_DEADLINE && mask == 0)
		die("every thread waits and nothing can wake one (deadlock)");
	uint64_t deadline = next == NO_DEADLINE ? UINT64_MAX : (uint64_t)next;
	if (idle_wait) {
		idle_ready = idle_wait(deadline, mask); /* e.g. a net_read that waits (netif_uv.c) */
		return;
	}
	/* Ready handles come back at once, without giving up the CPU; the hooks read them next. */
	long r = uv_hc_yield(deadline, mask);
	idle_ready = r < 0 ? UINT64_MAX : (uint64_t)r;
}

void __uv_idle_waiter(uint64_t (*wait)(uint64_t deadline, uint64_t mask))
{
	idle_wait = wait;
}

uint64_t __uv_idle_ready(void)
{
	return idle_ready;
}

void __uv_idle_taken(uint64_t handles)
{
	idle_ready &= ~handles;
}

int64_t __uv_idle_now(void)
{
	return idle_now;
}

void __uv_idle_wake_by(int64_t ns)
{
	if (ns > 0 && ns < hook_deadline)
		hook_deadline = ns;
}

static void unlink_all(struct uv_thread *t)
{
	for (struct uv_thread **pp = &all; *pp; pp = &(*pp)->all_next)
		if (*pp == t) {
			*pp = t->all_next;
			return;
		}
}

/* Frees the detached threads that have finished (never the running one: it is not a zombie). */
static void reap(void)
{
	while (zombies) {
		struct uv_thread *z = zombies;
		zombies = z->zombie_next;
		unlink_all(z);
		free(z->stack);
		free(z);
	}
}

/* Runs the next runnable thread (the caller has queued or parked itself already). */
static void schedule(void)
{
	struct uv_thread *self = __uv_thread_cur, *next;
	while (!(next = runq_pop()))
		idle();
	if (next == self)
		return;
	if (next->stack && next->stack[0] != STACK_CANARY)
		die("a thread overran its stack");
	self->err = errno;
	__uv_thread_cur = next;
	__uv_ctx_switch(&self->rsp, next->rsp);
	errno = self->err; /* back in self */
	if (zombies)
		reap();
}

void __uv_thread_start(struct uv_thread *t)
{
	errno = 0;
	t->ret = t->fn(t->arg);
	t->state = T_DONE;
	if (t->detached) {
		t->zombie_next = zombies;
		zombies = t;
	}
	uv_waitq_wake_all(&t->joiner);
	schedule(); /* never comes back: nothing queues a done thread */
	die("a finished thread ran again");
	for (;;)
		;
}

int uv_thread_create(struct uv_thread **out, void *(*fn)(void *), void *arg, size_t stack_size)
{
	if (!out || !fn)
		return -EINVAL;
	if (stack_size == 0)
		stack_size = UV_THREAD_STACK_DEFAULT;
	if (stack_size < UV_THREAD_STACK_MIN || stack_size > SIZE_MAX / 2)
		return -EINVAL;
	stack_size = (stack_size + STACK_ALIGN - 1) & ~(size_t)(STACK_ALIGN - 1);
	struct uv_thread *t = calloc(1, sizeof(*t));
	uint64_t *stack = malloc(stack_size);
	if (!t || !stack) {
		free(t);
		free(stack);
		return -ENOMEM;
	}
	stack[0] = STACK_CANARY;
	uint64_t *top = (uint64_t *)((uintptr_t)stack + stack_size - STACK_ALIGN); /* 16-aligned, a spare slot above */
	uint64_t *sp = top - SWITCH_FRAME_WORDS;
	memset(sp, 0, SWITCH_FRAME_WORDS * sizeof(*sp));
	sp[3] = (uint64_t)(uintptr_t)t; /* r12: popped fourth (r15, r14, r13, r12, rbx, rbp, then ret) */
	sp[SWITCH_FRAME_WORDS - 1] = (uint64_t)(uintptr_t)__uv_thread_trampoline; /* ret pops it: rsp = top, aligned */
	t->rsp = (uint64_t)(uintptr_t)sp;
	t->stack = stack;
	t->fn = fn;
	t->arg = arg;
	t->deadline = NO_DEADLINE;
	t->all_next = all;
	all = t;
	runq_push(t);
	*out = t;
	return 0;
}

int uv_thread_join(struct uv_thread *t, void **ret)
{
	if (!t || t == __uv_thread_cur || t == &main_thread || t->joined)
		return -EINVAL;
	t->joined = 1;
	while (t->state != T_DONE)
		uv_waitq_wait(&t->joiner, 0);
	if (ret)
		*ret = t->ret;
	unlink_all(t);
	free(t->stack);
	free(t);
	return 0;
}

int uv_thread_detach(struct uv_thread *t)
{
	if (!t || t == &main_thread || t->joined)
		return -EINVAL;
	t->joined = t->detached = 1;
	if (t->state == T_DONE) {
		t->zombie_next = zombies;
		zombies = t;
		if (t != __uv_thread_cur)
			reap();
	}
	return 0;
}

void uv_thread_yield(void)
{
	if (!runq_head) {
		idle();
		if (!runq_head)
			return;
	}
	runq_push(__uv_thread_cur);
	schedule();
}

struct uv_thread *uv_thread_self(void)
{
	return __uv_thread_cur;
}

int uv_waitq_wait(struct uv_waitq *q, int64_t deadline_ns)
{
	struct uv_thread *t = __uv_thread_cur;
	t->state = T_WAITING;
	t->waitq = q;
	t->wait_next = 0;
	t->deadline = deadline_ns > 0 ? deadline_ns : NO_DEADLINE;
	t->timed_out = 0;
	if (q->tail)
		q->tail->wait_next = t;
	else
		q->head = t;
	q->tail = t;
	schedule();
	t->deadline = NO_DEADLINE;
	return t->timed_out ? -ETIMEDOUT : 0;
}

int uv_waitq_wake_one(struct uv_waitq *q)
{
	struct uv_thread *t = q->head;
	if (!t)
		return 0;
	waitq_remove(t);
	runq_push(t);
	return 1;
}

unsigned uv_waitq_wake_all(struct uv_waitq *q)
{
	unsigned n = 0;
	while (uv_waitq_wake_one(q))
		n++;
	return n;
}

int uv_thread_idle_hook(void (*poll)(void), uint64_t handle_mask)
{
	if (n_hooks == UV_IDLE_HOOKS_MAX)
		return -ENOSPC;
	hooks[n_hooks].poll = poll;
	hooks[n_hooks].mask = handle_mask;
	n_hooks++;
	return 0;
}

void uv_mutex_lock(struct uv_mutex *m)
{
	while (m->owner)
		uv_waitq_wait(&m->waiters, 0);
	m->owner = __uv_thread_cur;
}

int uv_mutex_trylock(struct uv_mutex *m)
{
	if (m->owner)
		return -EBUSY;
	m->owner = __uv_thread_cur;
	return 0;
}

void uv_mutex_unlock(struct uv_mutex *m)
{
	if (m->owner != __uv_thread_cur)
		die("a thread unlocked a mutex it does not hold");
	m->owner = 0;
	uv_waitq_wake_one(&m->waiters);
}

int uv_cond_wait(struct uv_cond *c, struct uv_mutex *m, int64_t deadline_ns)
{
	uv_mutex_unlock(m);
	int r = uv_waitq_wait(&c->waiters, deadline_ns);
	uv_mutex_lock(m);
	return r;
}

void uv_cond_signal(struct uv_cond *c)
{
	uv_waitq_wake_one(&c->waiters);
}

void uv_cond_broadcast(struct uv_cond *c)
{
	uv_waitq_wake_all(&c->waiters);
}
