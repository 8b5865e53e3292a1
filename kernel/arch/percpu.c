/* kernel/arch/percpu.c: the records of the physical CPUs (only the boot CPU's, for now). */
#include "kernel/arch/percpu.h"

struct percpu percpu_boot = { .id = 0 };
