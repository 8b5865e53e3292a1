/* tests/fuzz/fake_hypercall.c: host fakes for what kernel/hc/hypercall.c calls outside guestmem.c (hv, app console, clocks, random); they record what happened. */
#include <stdlib.h>
#include <string.h>
#include "tests/fuzz/fake_hypercall.h"
#include "kernel/app/app.h"
#include "kernel/dev/random.h"
#include "kernel/dev/time.h"
#include "kernel/sched/sched.h"
#include "hv/hv.h"
#include "kernel/net/net.h"
#include "kernel/dev/netbuf.h"
#include "tests/unit/netgen.h"

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
/* The app's clock (as app_now_ns) and the kernel's, both the fuzzer's. */
uint64_t time_ns_and_since(uint64_t since_tsc, uint64_t *since_ns)
{
	(void)since_tsc;
	*since_ns = fake_hc.now_ns;
	return fake_hc.time_ns;
}
/* The fuzzed app's peer never waits in chan_sendrecv, so nothing is handed to it. */
void sched_run_next(const struct app *a) { (void)a; abort(); }
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

static struct sw *fuzz_sw;

static void *alloc_zeroed(uint64_t bytes) { return calloc(1, bytes); }
static void release(void *p, uint64_t bytes) { (void)bytes, free(p); }

struct sw *fake_net_switch(void)
{
	if (fuzz_sw)
		return fuzz_sw;
	static const uint8_t mac[3][6] = { { 2, 0, 0, 0, 0, 1 }, { 2, 0, 0, 0, 0, 2 }, { 2, 0, 0, 0, 0, 3 } };
	struct netgen g = { .n_apps = 2 };
	unsigned seg = netgen_segment(&g, "lab", UV_SEGMENT_INTERNAL);
	netgen_vnic(&g, "h0", 0, seg, mac[0], UV_VNIC_GRANTED, 4);
	netgen_vnic(&g, "h1", 0, seg, mac[1], 0, 4);
	netgen_vnic(&g, "peer", 1, seg, mac[2], UV_VNIC_GRANTED, 4);
	struct uv_manifest *m = netgen_build(&g);
	if (netbuf_pool_init(64) || !(fuzz_sw = calloc(1, sizeof(*fuzz_sw))) ||
	    sw_setup(fuzz_sw, m, alloc_zeroed, release))
		abort();
	free(m);
	return fuzz_sw;
}

struct sw_port *fake_net_vnic(unsigned v) { return sw_vnic(fake_net_switch(), v); }

/* kernel/net/net.c's functions the hypercalls use, over the fuzzer's switch (no NICs). */
struct sw *net_switch(void) { return fake_net_switch(); }
const struct app *net_quiet_app; /* (no NICs: never quiet) */
unsigned net_poll(void) { return 0; }

uint64_t net_ready_mask(const struct app *a)
{
	uint64_t m = 0;
	for (unsigned h = 0; h < a->n_nics; h++)
		m |= sw_vnic_peek(a->nic[h]) ? UV_HANDLE_NIC(h) : 0;
	return m;
}
