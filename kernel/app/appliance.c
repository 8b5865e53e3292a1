/* kernel/app/appliance.c: checks the embedded manifest, brings up virtualization, starts every app, runs them, sums up. */
#include "kernel/app/appliance.h"
#include "kernel/arch/percpu.h"
#include "kernel/app/app.h"
#include "kernel/console/console.h"
#include "kernel/app/manifest.h"
#include "kernel/mm/mm.h"
#include "kernel/dev/random.h"
#include "kernel/sched/sched.h"
#include "kernel/app/stats.h"
#include "kernel/dev/time.h"
#include "kernel/lib/kstring.h"
#include "hv/hv.h"
#include "kernel/app/bench.h"
#include "kernel/net/net.h"
#include "kernel/chan/chan.h"

static struct app apps[UV_MANIFEST_MAX_APPS];

/* A duration on the kernel command line: N (seconds) or Nms, in ns; 0 when absent or not a number. */
static uint64_t cmdline_duration_ns(const struct boot_info *bi, const char *key)
{
	char v[16];
	uint64_t n = 0;
	const char *c = boot_cmdline_get(bi, key, v, sizeof(v));
	for (; c && *c >= '0' && *c <= '9' && n < 1000000000ull; c++)
		n = n * 10 + (uint64_t)(*c - '0');
	return n * (c && c[0] == 'm' && c[1] == 's' ? 1000000ull : 1000000000ull);
}

int appliance_run(const struct boot_info *bi)
{
	const uint8_t *m = (const uint8_t *)__uv_payload_start;
	uint64_t len = (uint64_t)(uintptr_t)__uv_payload_end - (uint64_t)(uintptr_t)__uv_payload_start;
	if (len == 0) {
		kprintf("appliance: this image holds no apps\n");
		return 0;
	}
	/* The manifest is untrusted until checked whole: a corrupted image stops here. */
	struct manifest_error err;
	if (manifest_check(m, len, &err)) {
		kprintf("appliance: the image's manifest is invalid: %s%s\n", err.msg,
			err.app >= 0 ? "" : " (header)");
		kprintf("appliance: refusing to run a corrupted image\n");
		return 1;
	}
	const struct uv_manifest *mf = (const struct uv_manifest *)m;
	kprintf("appliance '%s': %u apps\n", mf->name, mf->n_apps);

	if (!hv_caps()->backend) {
		kprintf("appliance: no usable hardware virtualization; stopping\n");
		return 1;
	}
	random_init();
	bench_init(bi);
	if (!this_cpu()->hc_buf && !(this_cpu()->hc_buf = kalloc_page())) {
		kprintf("appliance: out of memory for the hypercall bounce page\n");
		return 1;
	}
	unsigned n = mf->n_apps;
	for (unsigned i = 0; i < n; i++) {
		struct app *a = &apps[i];
		const struct uv_manifest_app *r = &mf->apps[i];
		memset(a, 0, sizeof(*a));
		a->index = i;
		a->rec = r;
		kstrlcpy(a->name, r->name, sizeof(a->name));
		a->image = m + r->image.off;
		a->args = (const char *)(m + r->args.off);
		a->syms = r->syms.size ? (const struct uv_symtab *)(m + r->syms.off) : 0;
		a->syms_size = r->syms.size;
	}
	if (net_setup(bi, mf, apps, n)) {
		kprintf("appliance: the network could not be set up; stopping\n");
		return 1;
	}
	if (chan_setup(mf, apps, n)) {
		kprintf("appliance: the channels could not be set up; stopping\n");
		return 1;
	}
	/* Apps are started (RAM zeroed, VM built) when first scheduled: the first app runs
	 * without waiting for the others' memory. */
	for (unsigned i = 0; i < n; i++)
		apps[i].state = APP_NEW;
	/* stats=N or stats=Nms: a summary every so often; runtime=N or runtime=Nms: the run
	 * ends then, whatever the apps still do (tests, timed demos). */
	uint64_t every = cmdline_duration_ns(bi, "stats"), runtime = cmdline_duration_ns(bi, "runtime");
	if (runtime)
		kprintf("appliance: the run ends after %llu ms (runtime= on the command line)\n",
			(unsigned long long)(runtime / 1000000));
	unsigned failed = sched_run(apps, n, every, runtime);
	bench_figure("first-app-entry tsc=%llu\n", (unsigned long long)sched_first_entry_ticks());
	/* The TSC counts from reset: firmware and boot loader took this long to enter kmain. */
	bench_figure("kernel-entry tsc=%llu\n", (unsigned long long)time_entry_tsc);
	stats_print(apps, n, "summary");
	return failed ? 1 : 0;
}
