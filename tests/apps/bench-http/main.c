/* tests/apps/bench-http/main.c: the HTTP figure for tools/bench: keep-alive GETs of apps/httpd's 1 KiB page from a neighbour app, as "fig http-get-1k" (instructions per request, whole machine). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdio.h>
#include "../../../tools/bench/http_client.h"

static uint64_t samples[BENCH_HTTP_ITER];

/* args: A.B.C.D:PORT of the server */
int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	(void)bench_report_overhead; /* measure.h's, used by the other bench programs */
	char host[32] = "10.9.0.1";
	int port = 80;
	if (argc > 1 && sscanf(argv[1], "%31[0-9.]:%d", host, &port) != 2) {
		printf("fig http-get-1k missing: bad argument '%s'\n", argv[1]);
		return 2;
	}
	a.sin_port = htons((uint16_t)port);
	const char *why = "bad address";
	if (inet_pton(AF_INET, host, &a.sin_addr) != 1 || bench_http_run(&a, samples, BENCH_HTTP_ITER, 500, &why)) {
		printf("fig http-get-1k missing: %s\n", why);
		return 1;
	}
	bench_report("fig ", "http-get-1k", samples, BENCH_HTTP_ITER);
	return 0;
}
