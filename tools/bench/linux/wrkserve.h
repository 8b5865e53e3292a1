/* tools/bench/linux/wrkserve.h: /init's wrk mode (bench=wrk on the kernel command line). */
#ifndef TOOLS_BENCH_LINUX_WRKSERVE_H
#define TOOLS_BENCH_LINUX_WRKSERVE_H

/* eth0 (e1000) at 10.0.2.15/24, then apps/httpd on port 80; returns only if that fails (with a line). */
void wrk_serve(void);

#endif
