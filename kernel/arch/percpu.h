/* kernel/arch/percpu.h: the per-CPU record: what each layer keeps for one physical CPU, reached through this_cpu(). */
#ifndef KERNEL_ARCH_PERCPU_H
#define KERNEL_ARCH_PERCPU_H

#include <stdint.h>

struct hv_percpu;  /* hv/hv_backend.h */
struct sched_cpu;  /* kernel/sched/sched.c */

/*
 * One per physical CPU. Each layer keeps its own part behind a pointer it sets up when
 * the CPU comes up, so this record knows no layer above it. Nothing of a CPU's state lives
 * in file-static variables of those layers.
 */
struct percpu {
	unsigned id;              /* 0 for the boot CPU */
	struct hv_percpu *hv;     /* hv/: whose vCPU state is in this CPU, the backend's per-CPU state */
	struct sched_cpu *sched;  /* sched/: this CPU's run loop */
	uint8_t *hc_buf;          /* hc/, app/: the page guest data is copied through (PAGE_SIZE bytes) */
};

/* Only the boot CPU runs the kernel for now. With more CPUs this finds the record by the
 * LAPIC id (GS is not the kernel's to use: guests' bases pass through it on SVM exits). */
extern struct percpu percpu_boot;
static inline struct percpu *this_cpu(void) { return &percpu_boot; }

#endif
