/* kernel/hc/hypercall.c: dispatches hypercalls: one table from the ABI's X-list, one grant check, then each call. */
#include "kernel/hc/hypercall.h"
#include "kernel/arch/percpu.h"
#include "kernel/console/console.h"
#include "kernel/arch/cpu.h"
#include "kernel/dev/random.h"
#include "kernel/dev/time.h"
#include "kernel/lib/nospec.h"
#include "kernel/hc/net_calls.h"
#include "kernel/hc/chan_calls.h"
#include "kernel/chan/chan.h"
#include "kernel/net/net.h"
#include "hv/hv.h"

/* Each call: decode and validate everything into locals, then act (nothing changes on error). */
typedef enum hc_action (*hc_fn)(struct app *a, const uint64_t arg[6], int64_t *ret);

static enum hc_action hc_version(struct app *a, const uint64_t arg[6], int64_t *ret)
{
	(void)a, (void)arg;
	return hc_answer(ret, UV_ABI_VERSION);
}

static enum hc_action hc_exit(struct app *a, const uint64_t arg[6], int64_t *ret)
{
	(void)ret;
	a->exit_status = (int64_t)arg[0];
	return HC_EXIT;
}

static enum hc_action hc_console_write(struct app *a, const uint64_t arg[6], int64_t *ret)
{
	char *buf = (char *)this_cpu()->hc_buf; /* this CPU's bounce page */
	_Static_assert(UV_CONSOLE_WRITE_MAX <= PAGE_SIZE, "a console write fits the bounce page");
	uint64_t gaddr = arg[0], len = arg[1];
	if (len > UV_CONSOLE_WRITE_MAX)
		return hc_answer(ret, -UV_E2BIG);
	if (guest_copy_in(&a->mem, buf, gaddr, len)) /* copied once: no double fetch */
		return hc_answer(ret, -UV_EFAULT);
	*ret = (int64_t)len; /* also when it blocks: the app runs again once all of it is queued */
	return app_console_write(a, buf, gaddr, len) ? HC_CONTINUE : HC_BLOCK;
}

static enum hc_action hc_clock_monotonic(struct app *a, const uint64_t arg[6], int64_t *ret)
{
	(void)arg;
	return hc_answer(ret, (int64_t)app_now_ns(a));
}

static enum hc_action hc_clock_wall(struct app *a, const uint64_t arg[6], int64_t *ret)
{
	(void)a, (void)arg;
	return hc_answer(ret, (int64_t)time_wall_ns());
}

/* yield with a deadline or handles: a bad handle's error (-UV_EBADF / -UV_EPERM); one ready
 * now: its bits at once, without giving up the CPU; a deadline to come: the app blocks until
 * then (or a handle). Out of line: a plain yield(0, 0) passes no handles and no deadline. */
__attribute__((noinline)) enum hc_action hc_yield_wait(struct app *a, uint64_t deadline, uint64_t mask, int64_t *ret)
{
	if (mask) {
		const uint64_t nic_bits = UV_HANDLE_CHAN(0) - 1; /* bits 0..31: NICs; 32..63: channels */
		int64_t r = net_check_mask(a, mask & nic_bits);
		if (!r)
			r = chan_check_mask(a, mask >> 32);
		if (!r)
			r = (int64_t)((net_ready_mask(a) | chan_ready_mask(a)) & mask); /* 0: none ready */
		if (r)
			return hc_answer(ret, r);
	}
	return hc_wait_until(a, deadline, mask, ret);
}

enum hc_action hc_wait_deadline(struct app *a, uint64_t deadline, uint64_t mask)
{
	uint64_t now, kernel_now = time_ns_and_since(a->start_tsc, &now); /* the app's clock (app_now_ns) and the kernel's */
	if (deadline <= now)
		return HC_YIELD;
	a->wait_mask = mask;
	a->wake_ns = time_deadline_kernel_ns(deadline, now, kernel_now);
	return HC_BLOCK;
}

static enum hc_action hc_yield(struct app *a, const uint64_t arg[6], int64_t *ret)
{
	uint64_t deadline = arg[0], mask = arg[1];
	if (__builtin_expect((deadline | mask) != 0, 0))
		return hc_yield_wait(a, deadline, mask, ret);
	*ret = 0; /* yield(0, 0): the CPU to the next app, no handles, no clock */
	return HC_YIELD;
}

static enum hc_action hc_random(struct app *a, const uint64_t arg[6], int64_t *ret)
{
	uint8_t buf[UV_RANDOM_MAX];
	uint64_t gaddr = arg[0], len = arg[1];
	if (len > UV_RANDOM_MAX)
		return hc_answer(ret, -UV_E2BIG);
	if (!guest_range_ok(&a->mem, gaddr, len))
		return hc_answer(ret, -UV_EFAULT);
	random_bytes(buf, len);
	guest_copy_out(&a->mem, gaddr, buf, len);
	return hc_answer(ret, (int64_t)len);
}

static const struct {
	hc_fn fn;
	uint32_t grant;
} calls[UV_HC_COUNT] = {
#define ENTRY(NAME, name, nr, grant) [nr] = { hc_##name, grant },
	UV_HYPERCALLS(ENTRY)
#undef ENTRY
};

/* Runs call nr for a into *ret: the grant check (one bit test of the app's grants) and
 * the Spectre-v1 clamp before the table is read. */
static inline __attribute__((always_inline)) enum hc_action dispatch(struct app *a, uint64_t nr, const uint64_t arg[6],
								    int64_t *ret)
{
	a->stats.hypercalls++;
	if (__builtin_expect(nr >= UV_HC_COUNT, 0))
		return hc_answer(ret, -UV_ENOSYS);
	nr = nospec_index(nr, UV_HC_COUNT); /* no speculative table load past the end (Spectre v1) */
	if (__builtin_expect(!(a->grants & calls[nr].grant), 0)) {
		a->stats.denied++;
		return hc_answer(ret, -UV_EPERM);
	}
	return calls[nr].fn(a, arg, ret);
}

enum hc_action hypercall_dispatch(struct app *a, uint64_t nr, const uint64_t arg[6])
{
	int64_t ret;
	enum hc_action act = dispatch(a, nr, arg, &ret);
	if (act != HC_EXIT)
		hv_vcpu_set_rax(a->vcpu, (uint64_t)ret);
	return act;
}

int hypercall_exit(void *owner, uint64_t nr, const uint64_t arg[6], uint64_t *rax)
{
	/* The result straight into the guest's RAX (no handler writes it when the app exits). */
	_Static_assert(HC_CONTINUE == 0, "hv_hypercall_fn: 0 means the call completed");
	return (int)dispatch(owner, nr, arg, (int64_t *)rax);
}
