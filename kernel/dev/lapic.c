/* kernel/dev/lapic.c: local APIC in xAPIC mode (SDM 3A ch. 10): enable, EOI, timer. */
#include "kernel/dev/lapic.h"
#include "kernel/arch/cpu.h"
#include "kernel/mm/paging.h"
#include "kernel/arch/trap.h"
#include "kernel/console/console.h"
#include "kernel/arch/x86.h"

#define APIC_BASE_ENABLE (1ull << 11)
#define APIC_BASE_X2APIC (1ull << 10)
#define REG_ID 0x020
#define REG_EOI 0x0b0
#define REG_SVR 0x0f0
#define REG_LVT_TIMER 0x320
#define REG_TIMER_INIT 0x380
#define REG_TIMER_CUR 0x390
#define REG_TIMER_DIV 0x3e0
#define LVT_MASKED (1u << 16)
#define SVR_ENABLE (1u << 8)
#define TIMER_DIV_16 0x3

static volatile uint32_t *apic;

static inline uint32_t rd(uint32_t reg) { return apic[reg / 4]; }
static inline void wr(uint32_t reg, uint32_t v) { apic[reg / 4] = v; }

void lapic_init(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);
	if (base & APIC_BASE_X2APIC)
		panic("LAPIC is in x2APIC mode; only xAPIC is supported");
	uint64_t pa = base & 0x000ffffffffff000ull;
	if (paging_map_mmio(pa, PAGE_SIZE))
		panic("cannot map the LAPIC at %#llx", (unsigned long long)pa);
	wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
	apic = (volatile uint32_t *)(uintptr_t)pa;
	wr(REG_SVR, SVR_ENABLE | VEC_SPURIOUS);
	wr(REG_TIMER_DIV, TIMER_DIV_16);
	wr(REG_LVT_TIMER, LVT_MASKED | VEC_TIMER);
	wr(REG_TIMER_INIT, 0);
	trap_set_eoi(lapic_eoi);
}

void lapic_eoi(void) { if (apic) wr(REG_EOI, 0); }

uint8_t lapic_id(void) { return (uint8_t)(rd(REG_ID) >> 24); /* xAPIC: bits 31:24 (SDM 3A 10.4.6) */ }

void lapic_timer_start_count(uint32_t initial)
{
	wr(REG_LVT_TIMER, LVT_MASKED | VEC_TIMER);
	wr(REG_TIMER_INIT, initial);
}

uint32_t lapic_timer_current(void) { return rd(REG_TIMER_CUR); }

void lapic_timer_oneshot(uint64_t ticks)
{
	if (ticks == 0)
		ticks = 1;
	if (ticks > 0xffffffffull)
		ticks = 0xffffffffull;
	wr(REG_LVT_TIMER, VEC_TIMER); /* unmasked, one-shot */
	wr(REG_TIMER_INIT, (uint32_t)ticks);
}

void lapic_timer_stop(void) { lapic_timer_start_count(0); }

