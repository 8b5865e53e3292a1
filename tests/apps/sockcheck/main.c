/* tests/apps/sockcheck/main.c: the sockets API inside an app: local checks over loopback, then (by args) a connection out to a host listener or a client of an echo server. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sockcheck.h"

char check_why[256];
static int n_checks, n_failed;

void check_run(const char *name, check_fn fn)
{
	const char *why = fn();
	n_checks++;
	if (why) {
		n_failed++;
		printf("check %s FAIL: %s\n", name, why);
	} else {
		printf("check %s ok\n", name);
	}
	fflush(stdout);
}

/* args: [local] [connect=A.B.C.D:PORT] [client=A.B.C.D:PORT bytes=N udp=N] [scan=A.B.C.D:LO-HI] [get=A.B.C.D:PORT/PATH] [churn=A.B.C.D:PORT/PATH:N] [hold=A.B.C.D:PORT:N] */
int main(int argc, char **argv)
{
	const char *connect_to = NULL, *client_of = NULL, *scan = NULL, *get = NULL, *hold = NULL, *churn = NULL;
	long bytes = 0, udp = 0;
	int local = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "local"))
			local = 1;
		else if (!strncmp(argv[i], "connect=", 8))
			connect_to = argv[i] + 8;
		else if (!strncmp(argv[i], "client=", 7))
			client_of = argv[i] + 7;
		else if (!strncmp(argv[i], "scan=", 5))
			scan = argv[i] + 5;
		else if (!strncmp(argv[i], "churn=", 6))
			churn = argv[i] + 6;
		else if (!strncmp(argv[i], "hold=", 5))
			hold = argv[i] + 5;
		else if (!strncmp(argv[i], "get=", 4))
			get = argv[i] + 4;
		else if (!strncmp(argv[i], "bytes=", 6))
			bytes = atol(argv[i] + 6);
		else if (!strncmp(argv[i], "udp=", 4))
			udp = atol(argv[i] + 4);
		else {
			printf("sockcheck: unknown argument '%s'\n", argv[i]);
			return 2;
		}
	}
	if (local)
		checks_local();
	if (connect_to)
		checks_connect_out(connect_to);
	if (client_of)
		checks_client(client_of, bytes, udp);
	if (scan)
		checks_scan(scan);
	if (get)
		checks_get(get);
	if (churn)
		checks_churn(churn);
	if (hold)
		checks_hold(hold);
	printf("checks done=%d\n", n_checks);
	return n_failed ? 1 : 0;
}
