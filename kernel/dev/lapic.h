/* kernel/dev/lapic.h: the local APIC (xAPIC MMIO): enable, EOI, the one-shot timer. */
#ifndef KERNEL_LAPIC_H
#define KERNEL_LAPIC_H

#include <stdint.h>

/* Maps and enables this CPU's LAPIC (spurious vector VEC_SPURIOUS), timer masked. */
void lapic_init(void);
void lapic_eoi(void);
/* This CPU's APIC id (the destination of its MSIs and IOAPIC routes). */
uint8_t lapic_id(void);
/* The timer counts down at time_lapic_hz(). */
void lapic_timer_start_count(uint32_t initial); /* one-shot, masked: for calibration */
uint32_t lapic_timer_current(void);
void lapic_timer_oneshot(uint64_t ticks);       /* one-shot interrupt on VEC_TIMER */
void lapic_timer_stop(void);

#endif
