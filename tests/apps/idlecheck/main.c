/* tests/apps/idlecheck/main.c: for tests/boot/idle.sh: fetches httpd's page, marks a stretch of idle virtual time around its own sleep, then fetches it again. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdio.h>
#include <unistd.h>
#include "../../../tools/bench/http_client.h"
#include "../check_lines.h"

#define SETTLE_S 1  /* after the first fetch: the server's TCP state ends (LAST-ACK, CLOSED) */
#define IDLE_S 6    /* the stretch in which the server must not wake */
#define TRIES 500   /* connects, 10 ms apart, while the server starts */

/* One keep-alive GET of the 1 KiB page on a connection of its own; this side closes first. */
static void fetch(const char *name, const struct sockaddr_in *a)
{
	uint64_t t;
	const char *why = "";
	int r = bench_http_run(a, &t, 1, TRIES, &why);
	ck(r == 0, name, "%s", why);
}

/* args: A.B.C.D of the server (port 80) */
int main(int argc, char **argv)
{
	(void)bench_report; /* http_client.h's measure.h: the bench's printers */
	(void)bench_report_overhead;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(80) };
	if (argc < 2 || inet_pton(AF_INET, argv[1], &a.sin_addr) != 1) {
		printf("idlecheck: usage: idlecheck A.B.C.D\n");
		return 2;
	}
	fetch("fetch-before", &a);
	sleep(SETTLE_S);
	printf("idlecheck: idle-start\n");
	fflush(stdout);
	sleep(IDLE_S);
	printf("idlecheck: idle-end\n");
	fflush(stdout);
	fetch("fetch-after-idle", &a);
	return checks_done();
}
