/* kernel/app/bench.c: the "bench: ..." figure lines, off unless the command line carries the bench flag. */
#include "kernel/app/bench.h"
#include <stdarg.h>
#include "kernel/console/console.h"

static bool enabled;

void bench_init(const struct boot_info *bi)
{
	char v[8];
	enabled = boot_cmdline_get(bi, "bench", v, sizeof(v)) != NULL;
}

void bench_figure(const char *fmt, ...)
{
	if (!enabled)
		return;
	va_list ap;
	va_start(ap, fmt);
	kprintf("bench: ");
	kvprintf(fmt, ap);
	va_end(ap);
}
