/* tests/fuzz/fake_hypercall.c: host fakes for what kernel/hc/hypercall.c calls outside guestmem.c (hv, app console, clocks, random); they record what happened. */
#include <stdlib.h>
#include <string.h>
#include "tests/fuzz/fake_hypercall.h"
#include "kernel/app/app.h"
#include "kernel/dev/random.h"
#include "kernel/dev/time.h"
#include "hv/hv.h"

struct fake_hc fake_hc;

void fake_hc_reset(void)
{
	fake_hc.set_rax_calls = fake_hc.console_calls = fake_hc.random_calls = 0;
	fake_hc.rax = 0;
	fake_hc.rax_vcpu = NULL;
	fake_hc.console_len = fake_hc.random_len = 0;
}

void hv_vcpu_set_rax(struct hv_vcpu *vcpu, uint64_t rax)
{
	fake_hc.set_rax_calls++;
	fake_hc.rax_vcpu = vcpu;
	fake_hc.rax = rax;
}

/* Takes all of it (it never blocks the app: what blocking does is kernel/app/console_line.c's,
 * unit-tested in tests/unit/test_console_line.c). */
bool app_console_write(struct app *a, const char *s, uv_gaddr_t gaddr, uint64_t n)
{
	(void)a, (void)gaddr;
	fake_hc.console_calls++;
	fake_hc.console_len = n;
	if (n > sizeof(fake_hc.console))
		abort(); /* more than console_write may pass on */
	memcpy(fake_hc.console, s, n);
	return true;
}

uint64_t app_now_ns(const struct app *a)
{
	(void)a;
	return fake_hc.now_ns;
}

uint64_t time_ns(void) { return fake_hc.time_ns; }
uint64_t time_wall_ns(void) { return fake_hc.wall_ns; }

void random_bytes(void *buf, size_t n)
{
	uint8_t *p = buf;
	fake_hc.random_calls++;
	fake_hc.random_len = n;
	for (size_t i = 0; i < n; i++) {
		p[i] = (uint8_t)(fake_hc.random_seed + 37 * i + 1);
		if (i < sizeof(fake_hc.random))
			fake_hc.random[i] = p[i];
	}
}
