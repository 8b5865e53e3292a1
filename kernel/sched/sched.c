/* kernel/sched/sched.c: the run loop of a CPU: picks a runnable app, runs it for a slice, handles its exits, idles. */
#include "kernel/sched/sched.h"
#include "kernel/arch/percpu.h"
#include "kernel/console/console.h"
#include "kernel/arch/cpu.h"
#include "kernel/app/exit_policy.h"
#include "kernel/hc/hypercall.h"
#include "kernel/dev/lapic.h"
#include "kernel/mm/mm.h"
#include "kernel/app/stats.h"
#include "kernel/dev/time.h"
#include "kernel/arch/trap.h"
#include "hv/hv.h"
#include "kernel/app/bench.h"
#include "kernel/net/net.h"
#include "kernel/chan/chan.h"
#include "kernel/hc/net_calls.h"

/* One per physical CPU; only CPU 0 runs apps for now. */
struct sched_cpu {
	struct app *apps;
	unsigned n, next;
	volatile int timer_fired;
	uint64_t first_entry_ticks;
	bool console_waits; /* an app is blocked in console_write (wake_due) */
	bool irq_waits;     /* an app waits for a frame a NIC may bring (wake_due) */
	bool net_check;     /* a NIC may have work (an interrupt taken since the round's poll, or work left) */
	bool may_wait;      /* an app may be blocked or backing off: wake_due has work (else skipped) */
	uint64_t slice_tsc, slice_lapic; /* a whole SCHED_SLICE_NS in TSC and LAPIC ticks */
	uint64_t tick_end;  /* the TSC when the armed LAPIC timer fires (it ends slices); 0: not armed */
	struct app *handoff; /* woken by the running app's call (sched_run_next): runs on in its slice if it blocks */
	/* The slice run_slice runs, which a hand-off inside the backend (handoff_in_place) carries on: */
	struct app *running;  /* whose vCPU runs (hv_vcpu_run's exits are its) */
	uint64_t slice_start, slice_end; /* TSC: since when it runs (charged to it), when the slice ends */
	uint64_t round_tsc;   /* TSC when the round has work of its own (a deadline, the stats, the run's end) */
};

/* This CPU's run loop (set up by sched_run). */
static inline struct sched_cpu *sched_this_cpu(void) { return this_cpu()->sched; }

/* The index after i in turn. */
static inline unsigned after(const struct sched_cpu *c, unsigned i) { return i + 1 < c->n ? i + 1 : 0; }

static void timer_irq(struct trap_frame *f)
{
	(void)f;
	sched_this_cpu()->timer_fired = 1;
}

uint64_t sched_first_entry_ticks(void) { return sched_this_cpu() ? sched_this_cpu()->first_entry_ticks : 0; }

static uint64_t ns_to_lapic(uint64_t ns)
{
	uint64_t hz = time_lapic_hz();
	return (ns / 1000000000ull) * hz + (ns % 1000000000ull) * hz / 1000000000ull;
}

/* Decides what follows the end of an app: nothing, or a restart after a back-off. */
static void after_end(struct app *a)
{
	const struct uv_manifest_app *m = a->rec;
	bool again = m->restart == UV_RESTART_ALWAYS ||
		     (m->restart == UV_RESTART_ON_FAILURE && (a->failed || a->exit_status != 0));
	if (!a->failed)
		kprintf("app '%s' exited with status %lld\n", a->name, (long long)a->exit_status);
	if (!again || a->restarts >= m->restart_limit) {
		if (again)
			kprintf("app '%s' reached its restart limit (%u)\n", a->name, m->restart_limit);
		return;
	}
	uint64_t backoff_ms = (uint64_t)m->restart_backoff_ms << (a->restarts < 10 ? a->restarts : 10);
	a->state = APP_RESTART_WAIT;
	a->wake_ns = time_ns() + backoff_ms * 1000000ull;
	kprintf("app '%s' restarts in %llu ms (restart %u of %u)\n", a->name, (unsigned long long)backoff_ms,
		a->restarts + 1, m->restart_limit);
}

/* Runs a until its slice ends, it blocks, yields or ends. The slice also ends at
 * next_wake (kernel ns; now: the round's time), so a sleeping app wakes on time even while
 * others compute. The LAPIC timer ends slices: a slice is the rest of the CPU's armed one
 * (an app that yields hands the rest of its slice on; the timer is armed anew only when it
 * fired, idle stopped it, or next_wake comes sooner). */
static void run_slice(struct app *a, uint64_t next_wake, uint64_t now)
{
	struct sched_cpu *c = sched_this_cpu();
	uint64_t slice_ns = SCHED_SLICE_NS;
	if (next_wake > now && next_wake - now < slice_ns)
		slice_ns = next_wake - now;
	bool whole = slice_ns == SCHED_SLICE_NS; /* the usual case: converted once (sched_run) */
	uint64_t slice_start = rdtsc();
	uint64_t slice_end = slice_start + (whole ? c->slice_tsc : time_ns_to_tsc(slice_ns));
	struct hv_exit e;
	/* The armed tick is kept only with a good part of it left: a tick that would fire
	 * during this round would end the app's slice before it ran an instruction (a sleeper
	 * just woken would lose its turn). */
	if (c->timer_fired || c->tick_end < slice_start + c->slice_tsc / SCHED_TICK_KEEP_MIN || c->tick_end > slice_end) {
		if (whole && !c->slice_lapic)
			c->slice_lapic = ns_to_lapic(SCHED_SLICE_NS);
		/* The old tick may have fired already (pending while interrupts are off):
		 * stopped and taken now, it cannot end the new one at its first entry. */
		lapic_timer_stop();
		__asm__ volatile("sti; nop; cli" ::: "memory");
		c->timer_fired = 0;
		lapic_timer_oneshot(whole ? c->slice_lapic : ns_to_lapic(slice_ns));
		c->tick_end = slice_end;
	}
	slice_end = c->tick_end;
	c->handoff = 0;
	c->running = a;
	net_quiet_for(a);
	c->slice_start = slice_start;
	c->slice_end = slice_end;
	if (!c->first_entry_ticks)
		c->first_entry_ticks = slice_start - time_entry_tsc;
	for (;;) {
		/* The hot loop of every exit the kernel finishes (hypercalls, CPUID): lean. */
		uint64_t t0 = rdtsc();
		if (t0 >= c->slice_end || c->timer_fired)
			break;
		int r = hv_vcpu_run(a->vcpu, c->slice_end, &e);
		a = c->running; /* a hand-off inside the backend may have run another since */
		if (r) {
			kprintf("app '%s' stopped: its vCPU failed to run (%d)\n", a->name, r);
			app_finish(a, UV_EXIT_STATUS_KILLED, true);
			break;
		}
		if (e.reason == HV_EXIT_HYPERCALL && e.hypercall.handled == HC_YIELD)
			break; /* a yield the backend's handler ran: all the exit policy would do is end the slice */
		if ((unsigned)e.reason < HV_EXIT_COUNT)
			a->stats.exits[e.reason]++;
		if (e.reason == HV_EXIT_HYPERCALL && e.hypercall.handled == HC_BLOCK) {
			a->state = APP_BLOCKED; /* all the exit policy would do with a call the backend ran */
		} else {
			if (e.reason == HV_EXIT_INTERRUPT)
				c->net_check = true; /* exit_policy takes it: a NIC's leaves its work pending */
			if (exit_policy(a, &e) == EXIT_RESUME) {
				/* A NIC's interrupt: its frames go into the switch now; an app they wake
				 * runs next (the slice ends), ahead of this one's remaining time. */
				if (e.reason == HV_EXIT_INTERRUPT && net_pending() && net_poll())
					break;
				continue;
			}
		}
		/* It blocked in a call that woke another app (a channel message straight into a
		 * waiting receiver): that one runs at once, in the rest of this slice. */
		struct app *b = c->handoff;
		c->handoff = 0;
		if (a->state != APP_BLOCKED || !b || b->state != APP_RUNNABLE)
			break;
		uint64_t t = rdtsc();
		a->stats.cpu_tsc += t - c->slice_start;
		c->slice_start = t;
		c->may_wait = true; /* a is blocked: wake_due looks at it */
		c->next = after(c, b->index);
		c->running = a = b;
		net_quiet_for(b);
	}
	a->stats.cpu_tsc += rdtsc() - c->slice_start; /* its exits' handling is charged to it too */
	/* A timer interrupt pending now is taken (timer_fired: the next slice arms anew). */
	__asm__ volatile("sti; nop; cli" ::: "memory");
	if (a->state == APP_BLOCKED || a->state == APP_DONE)
		c->may_wait = true;
	if (a->state == APP_DONE)
		after_end(a);
}

/* The run loop's part of a hand-off from a to b at TSC t, b's slice ending at end: a's CPU
 * time, b's slice, the next in turn after it. Returns b's vCPU for the backend. */
static inline struct hv_vcpu *hand_on(struct sched_cpu *c, struct app *a, struct app *b, uint64_t t, uint64_t end,
				      uint64_t *slice_end)
{
	a->stats.cpu_tsc += t - c->slice_start;
	a->stats.handoffs++;
	c->slice_start = t;
	c->slice_end = *slice_end = end;
	c->next = after(c, b->index);
	c->running = b;
	net_quiet_for(b);
	return b->vcpu;
}

/* handoff_in_place after a's call blocked it and woke c->handoff (sched_run_next): that app
 * runs in the rest of the slice, as run_slice hands on. */
static __attribute__((noinline)) struct hv_vcpu *handoff_blocked(struct sched_cpu *c, struct app *a, uint64_t *slice_end)
{
	struct app *b = c->handoff;
	if (b->state != APP_RUNNABLE || !hv_vcpu_ready(b->vcpu))
		return 0; /* (run_slice hands on from there, or it ends the slice) */
	uint64_t t = rdtsc();
	if (t >= c->slice_end)
		return 0;
	c->handoff = 0;
	a->state = APP_BLOCKED;
	a->stats.exits[HV_EXIT_HYPERCALL]++;
	c->may_wait = true; /* a is blocked: wake_due looks at it */
	return hand_on(c, a, b, t, c->slice_end, slice_end);
}

/* handoff_in_place after a's yield while no app waits: the app the round would pick (from
 * c->next on, a itself not), in a new slice, when the round has nothing else to do first and
 * the slice needs no timer armed anew. */
static __attribute__((noinline)) struct hv_vcpu *handoff_yielded(struct sched_cpu *c, struct app *a, uint64_t *slice_end)
{
	/* What a round does before it picks: NIC frames into the switch, wake_due (only while
	 * an app waits: the caller's test), the deadlines, stats and the run's end (round_tsc),
	 * the console's output into the UART (done here as the round does it: what the UART
	 * takes now). */
	uint64_t t = rdtsc();
	if (t >= c->round_tsc || (c->net_check && net_pending()))
		return 0;
	if (__builtin_expect(console_queued(), 0))
		(void)console_drain();
	struct app *b = &c->apps[c->next]; /* (< n: pick and hand_on keep it so) */
	for (unsigned k = 1; b->state != APP_RUNNABLE; k++) {
		if (b->state == APP_NEW || k == c->n)
			return 0; /* pick starts a new one: the round's part; or none is runnable */
		b = &c->apps[after(c, b->index)];
	}
	if (b == a || !hv_vcpu_ready(b->vcpu))
		return 0;
	/* A new slice, as run_slice would start it: whole, or to the round's next deadline. */
	uint64_t end = t + c->slice_tsc;
	if (end > c->round_tsc)
		end = c->round_tsc;
	/* The LAPIC tick is handed on when a good part of it is left; else run_slice arms it. */
	if (c->tick_end < t + c->slice_tsc / SCHED_TICK_KEEP_MIN || c->tick_end > end)
		return 0;
	end = c->tick_end;
	c->handoff = 0; /* a new slice, as run_slice starts it */
	return hand_on(c, a, b, t, end, slice_end);
}

/*
 * The hand-off hook (hv_set_handoff_fn): app owner's call, run in the backend's fast path,
 * ended with code. Answers who runs next when the run loop would run it without doing
 * anything else first (handoff_blocked, handoff_yielded), after doing the run loop's part
 * of the switch (state, stats, CPU time, the slice, the next in turn); returns its vCPU
 * with *slice_end. NULL: nothing changed, the exit goes to run_slice.
 */
static struct hv_vcpu *handoff_in_place(void *owner, int code, uint64_t *slice_end)
{
	struct sched_cpu *c = sched_this_cpu();
	if (c->timer_fired)
		return 0;
	if (code == HC_BLOCK)
		return c->handoff ? handoff_blocked(c, owner, slice_end) : 0; /* none woken: a round */
	if (code == HC_YIELD)
		return !c->may_wait ? handoff_yielded(c, owner, slice_end) : 0; /* wake_due has work */
	return 0;
}

/* The handles a (blocked, not in console_write) waits for in yield that are ready now; 0:
 * none, or it waits for none (a sleep, chan_sendrecv: wait_mask 0). */
static inline uint64_t wait_ready(const struct app *a)
{
	return a->wait_mask ? (net_ready_mask(a) | chan_ready_mask(a)) & a->wait_mask : 0;
}

/* The result of a's wait, ended by its ready handles: a net_read that waits gets its frame
 * (or -UV_EAGAIN: another handle ended it); yield the handles. */
static inline void wake_with(struct app *a, uint64_t ready)
{
	hv_vcpu_set_rax(a->vcpu, a->net_wait.active ? (uint64_t)net_wait_end(a) : ready);
}

/* Wakes blocked apps whose deadline passed or whose console_write is done (now that
 * their share of the console drained) and restarts those whose back-off ended; returns
 * the earliest future wake time (UINT64_MAX if none) and whether anything waits. now:
 * time_ns() when the round began. */
static uint64_t wake_due(bool *waiting, uint64_t now)
{
	struct sched_cpu *c = sched_this_cpu();
	uint64_t earliest = UINT64_MAX, first_woken = UINT64_MAX;
	*waiting = false;
	c->console_waits = false;
	c->irq_waits = false;
	if (!c->may_wait)
		return earliest; /* no app blocked or backing off since the last round that looked */
	c->may_wait = false;
	for (unsigned i = 0; i < c->n; i++) {
		struct app *a = &c->apps[i];
		if (a->state != APP_BLOCKED && a->state != APP_RESTART_WAIT)
			continue;
		c->may_wait = true; /* (one woken now may block again: looked at next round too) */
		if (a->state == APP_BLOCKED && app_console_waiting(a)) {
			/* Blocked in console_write: runs again once its write is all queued. */
			if (app_console_resume(a))
				a->state = APP_RUNNABLE;
			else
				*waiting = c->console_waits = true;
			continue;
		}
		uint64_t ready = a->state == APP_BLOCKED ? wait_ready(a) : 0;
		if (ready) {
			/* yield() returns the handles that are ready; it runs next, like a sleeper. */
			wake_with(a, ready);
			a->state = APP_RUNNABLE;
			if (first_woken != 0) {
				first_woken = 0;
				c->next = i;
			}
			continue;
		}
		if (a->state == APP_BLOCKED && (a->wait_mask & net_external_mask(a)))
			c->irq_waits = true;
		if (a->wake_ns <= now) {
			if (a->state == APP_BLOCKED) {
				a->state = APP_RUNNABLE;
				a->chan_wait.active = false; /* chan_sendrecv's deadline: -UV_ETIMEDOUT */
				a->net_wait.active = false;  /* net_read's: -UV_EAGAIN */
				/* A sleeper whose deadline came runs next (the earliest first), not
				 * behind every app that computes. */
				if (a->wake_ns < first_woken) {
					first_woken = a->wake_ns;
					c->next = i;
				}
			} else {
				a->restarts++;
				kprintf("app '%s' restarting\n", a->name);
				if (app_start(a))
					after_end(a);
			}
			continue;
		}
		*waiting = true;
		if (a->wake_ns < earliest)
			earliest = a->wake_ns;
	}
	return earliest;
}

/* Starts an app the first time it is picked; once all have, prints the kernel heap. */
static bool start_new(struct app *a)
{
	struct sched_cpu *c = sched_this_cpu();
	bool ok = app_start(a) == 0;
	if (!ok)
		a->state = APP_DONE; /* it could not start (out of memory): reported, not restarted */
	bool all = true;
	for (unsigned i = 0; i < c->n; i++)
		all &= c->apps[i].state != APP_NEW;
	if (all)
		bench_figure("kernel-heap-pages %llu\n", (unsigned long long)mm_pages_in_use());
	return ok;
}

void sched_run_next(const struct app *a)
{
	struct sched_cpu *c = sched_this_cpu();
	if (c && a->index < c->n) { /* (the app of that index: a, an app of the run's array) */
		c->next = a->index;
		c->handoff = &c->apps[a->index];
	}
}

void sched_wake_ready(struct app *a, uint64_t came)
{
	uint64_t ready;
	if (a->state != APP_BLOCKED || !(a->wait_mask & came) || app_console_waiting(a))
		return;
	if (a->net_wait.active && came == UV_HANDLE_NIC(a->net_wait.handle))
		hv_vcpu_set_rax(a->vcpu, (uint64_t)net_wait_end(a)); /* its frame came: no other handle to look at */
	else if ((ready = wait_ready(a)))
		wake_with(a, ready); /* as wake_due does */
	else
		return;
	a->state = APP_RUNNABLE;
	sched_run_next(a);
}

static struct app *pick(void)
{
	struct sched_cpu *c = sched_this_cpu();
	for (unsigned k = 0; k < c->n; k++) {
		unsigned i = (c->next + k) % c->n;
		struct app *a = &c->apps[i];
		if (a->state == APP_NEW && !start_new(a))
			continue;
		if (a->state == APP_RUNNABLE) {
			c->next = (i + 1) % c->n;
			return a;
		}
	}
	return 0;
}

unsigned sched_run(struct app *apps, unsigned n, uint64_t stats_every_ns, uint64_t runtime_ns)
{
	if (!this_cpu()->sched && !(this_cpu()->sched = kalloc_page()))
		panic("sched: out of memory for the run loop of CPU %u", this_cpu()->id);
	_Static_assert(sizeof(struct sched_cpu) <= PAGE_SIZE, "sched_cpu fits a page");
	struct sched_cpu *c = sched_this_cpu();
	uint64_t next_stats = stats_every_ns ? time_ns() + stats_every_ns : UINT64_MAX;
	uint64_t end = runtime_ns ? time_deadline_kernel_ns(runtime_ns, 0, time_ns()) : UINT64_MAX;
	/* The rest starts at 0: slice_lapic is set at the first slice that needs it (ns_to_lapic
	 * calibrates), the LAPIC timer is not armed (tick_end). */
	uint64_t first_entry = c->first_entry_ticks; /* the boot's, kept */
	*c = (struct sched_cpu){ .apps = apps, .n = n, .slice_tsc = time_ns_to_tsc(SCHED_SLICE_NS),
				 .may_wait = true, .first_entry_ticks = first_entry };
	trap_set_handler(VEC_TIMER, timer_irq);
	hv_set_handoff_fn(handoff_in_place);
	console_set_async(true);
	for (;;) {
		bool waiting;
		c->net_check = false;
		if (net_pending()) {
			net_poll();
			c->net_check = net_pending(); /* (a poll may leave work for the next pass) */
		}
		uint64_t now = time_ns(); /* once per round: the checks below need no finer time */
		uint64_t earliest = wake_due(&waiting, now);
		if (now >= end) {
			kprintf("sched: the run time limit is reached; ending the run\n");
			break;
		}
		if (end < earliest)
			earliest = end; /* slices and idle end at the limit too */
		if (now >= next_stats) {
			stats_print(apps, n, "stats");
			next_stats += stats_every_ns;
		}
		bool output_waits = console_drain() || c->console_waits; /* not done while a writer waits */
		struct app *a = pick();
		if (a) {
			/* Yields handed on inside the backend skip rounds until this one's work is due
			 * (only while no app waits: may_wait is cleared by rounds alone). */
			uint64_t due = earliest < next_stats ? earliest : next_stats;
			c->round_tsc = c->may_wait ? 0 : due == UINT64_MAX ? UINT64_MAX :
				       due > now ? rdtsc() + time_ns_to_tsc(due - now) : 0;
			run_slice(a, earliest, now);
			continue;
		}
		if (!waiting && !output_waits)
			break;
		if (!waiting) {
			/* Only console output left: let the UART take it. */
			console_flush();
			break;
		}
		if (earliest == UINT64_MAX && !output_waits && !c->irq_waits) {
			kprintf("sched: every remaining app waits forever with nothing to wake it; ending the run\n");
			break;
		}
		/* Idle until the earliest deadline (or report): the LAPIC timer wakes the HLT.
		 * With output waiting, wake every 1 ms to feed the UART (16 bytes take 1.4 ms):
		 * an app blocked in console_write waits for that. */
		if (next_stats < earliest)
			earliest = next_stats;
		now = time_ns();
		/* Idle time zeroes free memory, a bounded piece at a time, while the next
		 * deadline is not close (mm_scrub_some: freed RAM does not keep its data). */
		if (earliest > now + SCHED_SCRUB_SLACK_NS && mm_scrub_some(SCHED_SCRUB_BYTES))
			continue;
		if (output_waits && earliest > now + 1000000)
			earliest = now + 1000000;
		c->timer_fired = 0;
		/* Waiting for a frame with no deadline: no timer, the NIC's interrupt wakes the HLT.
		 * A NIC interrupt that came since the poll above is pending: HLT returns at once. */
		if (earliest != UINT64_MAX)
			lapic_timer_oneshot(ns_to_lapic(earliest > now ? earliest - now : 1) + 1);
		net_quiet_for(0); /* (back on: pending, one more round polls first) */
		if (!net_pending())
			__asm__ volatile("sti; hlt; cli" ::: "memory");
		lapic_timer_stop();
		c->tick_end = 0; /* the next slice arms its own */
	}
	hv_set_handoff_fn(0);
	c->running = 0;
	lapic_timer_stop();
	console_set_async(false);
	unsigned failed = 0;
	for (unsigned i = 0; i < n; i++)
		failed += apps[i].failed || apps[i].exit_status != 0;
	return failed;
}
