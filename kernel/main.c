/* kernel/main.c: kmain, the boot in order: console, boot info, traps, memory, paging, LAPIC, time, PCI, the MADT, hv, apps. */
#include "kernel/boot/boot.h"
#include "kernel/console/console.h"
#include "kernel/arch/cpu.h"
#include "kernel/dev/lapic.h"
#include "kernel/arch/mce.h"
#include "kernel/mm/mm.h"
#include "kernel/mm/paging.h"
#include "kernel/console/power.h"
#include "kernel/test/selftest.h"
#include "kernel/dev/time.h"
#include "kernel/dev/madt.h"
#include "kernel/arch/trap.h"
#include "kernel/app/appliance.h"
#include "hv/hv.h"

#ifndef UV_VERSION
#define UV_VERSION "unknown"
#endif

static struct boot_info boot;

/* During boot the first 1 GiB is identity-mapped by entry.S. */
static const void *early_phys(uint64_t pa, size_t len)
{
	if (pa == 0 || pa + len < pa || pa + len > (1ull << 30))
		return 0;
	return (const void *)(uintptr_t)pa;
}

static void parse_boot_info(uint32_t proto, uint32_t info_pa)
{
	const char *why = "unknown boot protocol";
	int r = -1;
	if (proto == BOOT_PROTO_MB2)
		r = boot_info_parse_mb2(early_phys(info_pa, 8), 1u << 20, &boot, &why);
	else if (proto == BOOT_PROTO_PVH && early_phys(info_pa, 64))
		r = boot_info_parse_pvh(early_phys(info_pa, 64), &boot, &why, early_phys);
	if (r) {
		kprintf("univisor: cannot read the boot information: %s\n", why);
		power_off(POWER_EXIT_FAILURE);
	}
	/* The BIOS areas are readable only now, through the boot-time identity map. */
	boot_info_find_rsdp(&boot, early_phys);
}

void kmain(uint32_t proto, uint32_t info_pa)
{
	time_entry_tsc = rdtsc();
	time_calibration_start();
	console_init();
	kprintf("\nunivisor %s: kernel started by %s\n", UV_VERSION,
		proto == BOOT_PROTO_MB2 ? "Multiboot2" : proto == BOOT_PROTO_PVH ? "PVH" : "?");
	parse_boot_info(proto, info_pa);
	if (boot.cmdline[0])
		kprintf("command line: %s\n", boot.cmdline);

	trap_init();
	mce_init();
	uint64_t guards[4];
	paging_add_guard((uint64_t)(uintptr_t)boot_stack_guard);
	for (unsigned i = 0, n = trap_guard_pages(guards, 4); i < n; i++)
		paging_add_guard(guards[i]);
	mm_init(&boot);
	paging_init(&boot);
	mm_print(&boot);
	lapic_init();
	time_calibration_lapic();
	time_init();
	kprintf("time: TSC %llu kHz (over %llu PIT ticks), wall clock %llu s since 1970\n",
		(unsigned long long)(time_tsc_hz() / 1000), (unsigned long long)time_calibration_ticks(),
		(unsigned long long)(time_wall_ns() / 1000000000ull));
	madt_init(&boot);

	hv_cpu_init(); /* on failure it says why; appliance_run then refuses to start apps */
	selftest_early(&boot);
	int status = appliance_run(&boot);
	selftest_late(&boot);

	kprintf("univisor: run ended, powering off\n");
	power_off(status ? POWER_EXIT_FAILURE : POWER_EXIT_OK);
}
