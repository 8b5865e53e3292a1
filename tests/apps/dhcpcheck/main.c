/* tests/apps/dhcpcheck/main.c: for tests/boot/dhcp.sh: a DHCP client that only holds its lease (libos prints its address, a new one and a lost one) for a given stretch of virtual time, then ends. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv_net.h>

/* args: for=SECONDS */
int main(int argc, char **argv)
{
	unsigned secs = 0;
	for (int i = 1; i < argc; i++)
		if (!strncmp(argv[i], "for=", 4))
			secs = (unsigned)strtoul(argv[i] + 4, NULL, 10);
	if (!secs) {
		printf("dhcpcheck: usage: dhcpcheck for=SECONDS\n");
		return 2;
	}
	int r = uv_net_start();
	if (r) {
		printf("dhcpcheck: the stack did not start: %d\n", r);
		return 1;
	}
	sleep(secs);
	printf("dhcpcheck: done after %u s\n", secs);
	return 0;
}
