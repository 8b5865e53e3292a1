/* tools/bench/http_client.h: the HTTP figure's client, shared by the bench-http app (libos) and Linux's /init (glibc): keep-alive GETs of a 1 KiB page, each timed with RDTSC. */
#ifndef TOOLS_BENCH_HTTP_CLIENT_H
#define TOOLS_BENCH_HTTP_CLIENT_H

#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include "measure.h"

#define BENCH_HTTP_ITER 200
#define BENCH_HTTP_PAGE "/1k.html"
#define BENCH_HTTP_PAGE_BYTES 1024

/*
 * Connects to addr (retrying while the server starts: at most tries times, sleeping 10 ms
 * between), then sends n GETs of BENCH_HTTP_PAGE on the one connection, each timed from
 * before its send to after the last byte of its answer. 0, or -1 (why in *why).
 */
static int bench_http_run(const struct sockaddr_in *addr, uint64_t *samples, int n, int tries, const char **why)
{
	static char buf[4096];
	static const char req[] = "GET " BENCH_HTTP_PAGE " HTTP/1.1\r\nHost: bench\r\n\r\n";
	int fd = -1;
	for (int t = 0; t < tries && fd < 0; t++) {
		fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd >= 0 && connect(fd, (const struct sockaddr *)addr, sizeof(*addr))) {
			close(fd);
			fd = -1;
			usleep(10000);
		}
	}
	if (fd < 0) {
		*why = "cannot connect to the server";
		return -1;
	}
	for (int i = 0; i < n; i++) {
		uint64_t t0 = bench_rdtsc();
		if (write(fd, req, sizeof(req) - 1) != (ssize_t)(sizeof(req) - 1)) {
			*why = "write failed";
			return -1;
		}
		size_t got = 0, want = 0;
		for (;;) {
			ssize_t r = read(fd, buf + got, sizeof(buf) - got);
			if (r <= 0) {
				*why = "the server closed the connection";
				return -1;
			}
			got += (size_t)r;
			char *end = want ? NULL : memmem(buf, got, "\r\n\r\n", 4);
			if (end)
				want = (size_t)(end + 4 - buf) + BENCH_HTTP_PAGE_BYTES;
			if (want && got >= want)
				break;
			if (got == sizeof(buf)) {
				*why = "answer too large";
				return -1;
			}
		}
		samples[i] = bench_rdtsc() - t0;
		if (strncmp(buf, "HTTP/1.1 200 ", 13) || got != want) {
			*why = "not a 200 answer of the page's size";
			return -1;
		}
	}
	close(fd);
	return 0;
}

#endif
