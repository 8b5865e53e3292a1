/* kernel/appliance.c: checks the embedded manifest, brings up virtualization, starts every app, runs them, sums up. */
#include "kernel/appliance.h"
#include "kernel/app.h"
#include "kernel/console.h"
#include "kernel/manifest.h"
#include "kernel/mm.h"
#include "kernel/random.h"
#include "kernel/sched.h"
#include "kernel/stats.h"
#include "kernel/time.h"
#include "kernel/lib/kstring.h"
#include "hv/hv.h"

static struct app apps[UV_MANIFEST_MAX_APPS];

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
	unsigned n = mf->n_apps;
	for (unsigned i = 0; i < n; i++) {
		struct app *a = &apps[i];
		const struct uv_manifest_app *r = &mf->apps[i];
		memset(a, 0, sizeof(*a));
		a->index = i;
		a->rec = r;
		kstrlcpy(a->name, r->name, sizeof(a->name));
		a->elf = m + r->elf.off;
		a->elf_size = r->elf.size;
		a->args = (const char *)(m + r->args.off);
		a->syms = r->syms.size ? (const struct uv_symtab *)(m + r->syms.off) : 0;
		a->syms_size = r->syms.size;
	}
	/* Apps are started (RAM zeroed, VM built) when first scheduled: the first app runs
	 * without waiting for the others' memory. */
	for (unsigned i = 0; i < n; i++)
		apps[i].state = APP_NEW;
	/* stats=N (seconds) or stats=Nms on the command line: a summary every so often. */
	char v[16];
	uint64_t every = 0;
	const char *c = boot_cmdline_get(bi, "stats", v, sizeof(v));
	for (; c && *c >= '0' && *c <= '9' && every < 1000000; c++)
		every = every * 10 + (uint64_t)(*c - '0');
	every *= c && c[0] == 'm' && c[1] == 's' ? 1000000ull : 1000000000ull;
	unsigned failed = sched_run(apps, n, every);
	kprintf("bench: first-app-entry tsc=%llu\n", (unsigned long long)sched_first_entry_ticks());
	/* The TSC counts from reset: firmware and boot loader took this long to enter kmain. */
	kprintf("bench: kernel-entry tsc=%llu\n", (unsigned long long)time_entry_tsc);
	stats_print(apps, n, "summary");
	return failed ? 1 : 0;
}
