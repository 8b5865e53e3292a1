/* kernel/dev/time.c: TSC and LAPIC timer calibration against PIT channel 2, and the CMOS RTC at boot. */
#include "kernel/dev/time.h"
#include "kernel/arch/cpu.h"
#include "kernel/dev/lapic.h"
#include "kernel/console/console.h"
#include "kernel/lib/calendar.h"
#include "kernel/lib/kstring.h"

#define PIT_HZ 1193182ull
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

/* The RTC's seconds, minutes, hours, day, month, year and century, read once no update is
 * in progress (status A's UIP, a bounded wait). */
static void rtc_regs(uint8_t v[7])
{
	static const uint8_t regs[7] = { 0x00, 0x02, 0x04, 0x07, 0x08, 0x09, 0x32 };
	for (int i = 0; i < 100000 && (cmos(0x0a) & 0x80); i++)
		cpu_relax();
	for (int i = 0; i < 7; i++)
		v[i] = cmos(regs[i]);
}

/* Reads the RTC until two reads agree (an update may come between them). */
static uint64_t rtc_read_unix(void)
{
	uint8_t a[7], b[7];
	rtc_regs(b);
	for (int tries = 0; tries < 5; tries++) {
		memcpy(a, b, sizeof(a));
		rtc_regs(b);
		if (!memcmp(a, b, sizeof(a)))
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

/*
 * Calibration overlaps the boot: time_calibration_start() starts PIT channel 2 counting
 * down from 0xffff (mode 0, gated through port 0x61) as the kernel's first act; the
 * LAPIC timer starts counting once it is mapped; time_init() reads both against the TSC
 * after the rest of the boot ran, waiting only if less than CAL_MIN_TICKS have passed.
 * So the boot spends no time just waiting (under QEMU -icount that wait would be counted).
 */
#define CAL_MIN_TICKS 298u /* 250 us of PIT at least: +-1 tick is 0.34% */
#define CAL_START_COUNT 0xffffu

static uint64_t cal_tsc0, cal_lapic_tsc0;
static uint32_t cal_lapic0;
static uint64_t cal_ticks;
static uint64_t lapic_hz; /* 0 until time_lapic_hz measured it */

void time_calibration_start(void)
{
	uint8_t p61 = inb(0x61);
	outb(0x61, p61 & ~0x03);              /* gate low, speaker off */
	outb(0x43, 0xb0);                     /* channel 2, lo/hi byte, mode 0, binary */
	outb(0x42, CAL_START_COUNT & 0xff);
	outb(0x42, CAL_START_COUNT >> 8);
	cal_tsc0 = rdtsc();
	outb(0x61, (p61 & ~0x02) | 0x01);     /* gate high: counting starts */
}

void time_calibration_lapic(void)
{
	lapic_timer_start_count(0xffffffffu);
	cal_lapic0 = lapic_timer_current();
	cal_lapic_tsc0 = rdtsc();
}

/* PIT ticks since time_calibration_start, or -1 once the count ran out (OUT2 high). */
static int64_t pit_elapsed(void)
{
	outb(0x43, 0x80);                     /* latch channel 2's count */
	uint16_t c = inb(0x42);
	c |= (uint16_t)(inb(0x42) << 8);
	if (inb(0x61) & 0x20)
		return -1;
	return CAL_START_COUNT - c;
}

void time_init(void)
{
	int64_t ticks = -1;
	uint64_t t1 = 0;
	for (int window = 0; window < 2 && ticks < 0; window++) {
		if (window) /* the boot took more than 55 ms of PIT time: measure a fresh window */
			time_calibration_start();
		while ((ticks = pit_elapsed()) >= 0 && ticks < CAL_MIN_TICKS)
			cpu_relax();
		t1 = rdtsc();
	}
	if (ticks < 0)
		ticks = CAL_MIN_TICKS; /* a PIT that runs out instantly: better a guess than a hang */
	uint64_t dt = t1 - cal_tsc0;
	tsc_hz = dt * PIT_HZ / (uint64_t)(ticks ? ticks : 1);
	if (tsc_hz == 0)
		tsc_hz = 1;
	/* mul = 1e9 * 2^32 / tsc_hz; 1e9 * 2^32 < 2^64: no 128-bit division. */
	tsc_shift = 32;
	tsc_mul = (NS_PER_S << tsc_shift) / tsc_hz;
	tsc_base = cal_tsc0;
	wall_base_ns = rtc_read_unix() * NS_PER_S;
	cal_ticks = (uint64_t)ticks;
}

uint64_t time_calibration_ticks(void) { return cal_ticks; }

/* The LAPIC timer's window closes at its first use (the scheduler's first slice), so
 * it spans the app loading too: long enough for precision, with no waiting. */
uint64_t time_lapic_hz(void)
{
	if (!lapic_hz) {
		uint32_t l1 = lapic_timer_current();
		uint64_t dl = rdtsc() - cal_lapic_tsc0;
		lapic_timer_stop();
		lapic_hz = dl ? (uint64_t)(cal_lapic0 - l1) * tsc_hz / dl : 1;
		kprintf("time: LAPIC timer %llu kHz\n", (unsigned long long)(lapic_hz / 1000));
	}
	return lapic_hz;
}

uint64_t time_tsc_hz(void) { return tsc_hz; }

void time_tsc_scale(uint64_t *mul, uint32_t *shift)
{
	*mul = tsc_mul;
	*shift = tsc_shift;
}

uint64_t time_ns_since(uint64_t since_tsc) { return time_scale(rdtsc() - since_tsc, tsc_mul, tsc_shift); }

uint64_t time_ns(void) { return time_ns_since(tsc_base); }

uint64_t time_ns_and_since(uint64_t since_tsc, uint64_t *since_ns)
{
	uint64_t t = rdtsc();
	*since_ns = time_scale(t - since_tsc, tsc_mul, tsc_shift);
	return time_scale(t - tsc_base, tsc_mul, tsc_shift);
}

uint64_t time_ns_to_tsc(uint64_t ns)
{
	/* Split so neither product overflows for TSC rates below ~18 GHz. */
	return (ns / NS_PER_S) * tsc_hz + (ns % NS_PER_S) * tsc_hz / NS_PER_S;
}

uint64_t time_wall_ns(void) { return wall_base_ns + time_ns(); }
