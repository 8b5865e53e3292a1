/* kernel/time.c: TSC and LAPIC timer calibration against PIT channel 2, and the CMOS RTC at boot. */
#include "kernel/time.h"
#include "kernel/cpu.h"
#include "kernel/lapic.h"
#include "kernel/console.h"
#include "kernel/lib/calendar.h"

#define PIT_HZ 1193182ull
/* The calibration window, in PIT ticks (~250 us): short, because under QEMU -icount
 * every ns of it is a counted instruction; +-1 tick is 0.34%. */
#define CAL_PIT_TICKS 298u
#define NS_PER_S 1000000000ull

uint64_t time_entry_tsc;
static uint64_t tsc_hz, tsc_mul, tsc_base, wall_base_ns;
static uint32_t tsc_shift = 32;

static uint8_t cmos(uint8_t reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

static unsigned bcd(uint8_t v, int is_bcd) { return is_bcd ? (v & 15) + (v >> 4) * 10 : v; }

/* Reads the RTC twice until two reads agree (an update may be in progress). */
static uint64_t rtc_read_unix(void)
{
	uint8_t a[7], b[7];
	for (int tries = 0; tries < 5; tries++) {
		for (int i = 0; i < 100000 && (cmos(0x0a) & 0x80); i++)
			cpu_relax();
		uint8_t regs[7] = { 0x00, 0x02, 0x04, 0x07, 0x08, 0x09, 0x32 };
		for (int i = 0; i < 7; i++)
			a[i] = cmos(regs[i]);
		for (int i = 0; i < 100000 && (cmos(0x0a) & 0x80); i++)
			cpu_relax();
		for (int i = 0; i < 7; i++)
			b[i] = cmos(regs[i]);
		int same = 1;
		for (int i = 0; i < 7; i++)
			same &= a[i] == b[i];
		if (same)
			break;
	}
	uint8_t stb = cmos(0x0b);
	int is_bcd = !(stb & 0x04), h24 = stb & 0x02;
	unsigned sec = bcd(b[0], is_bcd), min = bcd(b[1], is_bcd);
	unsigned hour = bcd(b[2] & 0x7f, is_bcd);
	if (!h24 && (b[2] & 0x80))
		hour = (hour % 12) + 12;
	else if (!h24 && hour == 12)
		hour = 0;
	unsigned day = bcd(b[3], is_bcd), mon = bcd(b[4], is_bcd), yr = bcd(b[5], is_bcd);
	unsigned cent = bcd(b[6], is_bcd);
	int64_t year = (cent >= 19 && cent <= 30) ? cent * 100 + yr : 2000 + yr;
	if (mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 60)
		return 0;
	return (uint64_t)(time_days_from_civil(year, mon, day) * 86400 + hour * 3600 + min * 60 + sec);
}

void time_init(void)
{
	/* PIT channel 2 in mode 0, gate via port 0x61; OUT2 (0x61 bit 5) rises at terminal count. */
	uint8_t p61 = inb(0x61);
	outb(0x61, (p61 & ~0x02) & ~0x01);          /* gate low, speaker off */
	outb(0x43, 0xb0);                            /* channel 2, lo/hi, mode 0, binary */
	outb(0x42, CAL_PIT_TICKS & 0xff);
	outb(0x42, CAL_PIT_TICKS >> 8);
	lapic_timer_start_count(0xffffffffu);
	uint32_t l0 = lapic_timer_current();
	uint64_t t0 = rdtsc();
	outb(0x61, (p61 & ~0x02) | 0x01);            /* gate high: counting starts */
	uint64_t spins = 0;
	while (!(inb(0x61) & 0x20) && ++spins < 100000000ull)
		;
	uint64_t t1 = rdtsc();
	uint32_t l1 = lapic_timer_current();
	outb(0x61, p61);
	if (!(inb(0x61) & 0x20) && spins >= 100000000ull)
		kprintf("time: PIT channel 2 did not count; guessing the TSC rate\n");
	uint64_t dt = t1 - t0;
	if (dt == 0)
		dt = 1;
	tsc_hz = dt * PIT_HZ / CAL_PIT_TICKS;
	lapic_set_timer_hz((uint64_t)(l0 - l1) * PIT_HZ / CAL_PIT_TICKS);
	lapic_timer_stop();
	/* mul = 1e9 * 2^32 / tsc_hz; reduce the shift for very slow TSCs so mul fits. */
	tsc_shift = 32;
	tsc_mul = (NS_PER_S << tsc_shift) / tsc_hz; /* 1e9 * 2^32 < 2^64: no 128-bit division */
	tsc_base = t0;
	wall_base_ns = rtc_read_unix() * NS_PER_S;
}

uint64_t time_tsc_hz(void) { return tsc_hz; }

void time_tsc_scale(uint64_t *mul, uint32_t *shift)
{
	*mul = tsc_mul;
	*shift = tsc_shift;
}

uint64_t time_ns(void) { return time_scale(rdtsc() - tsc_base, tsc_mul, tsc_shift); }

uint64_t time_ns_to_tsc(uint64_t ns)
{
	/* Split so neither product overflows for TSC rates below ~18 GHz. */
	return (ns / NS_PER_S) * tsc_hz + (ns % NS_PER_S) * tsc_hz / NS_PER_S;
}

uint64_t time_wall_ns(void) { return wall_base_ns + time_ns(); }
