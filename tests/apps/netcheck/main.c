/* tests/apps/netcheck/main.c: picks the role from argv[1]; the check lines; argument and clock helpers. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "netcheck.h"
#define CHECK_LINES_EXTERN_CK
#include "../check_lines.h"

void ck(bool ok, const char *name, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vck(ok, name, fmt, ap);
	va_end(ap);
}

int ck_done(void) { return checks_done(); }

void expect(long got, long want, const char *name)
{
	ck(got == want, name, "returned %ld, expected %ld", got, want);
}

const char *arg(int argc, char **argv, const char *key)
{
	size_t k = strlen(key);
	for (int i = 1; i < argc; i++)
		if (strncmp(argv[i], key, k) == 0 && argv[i][k] == '=')
			return argv[i] + k + 1;
	return NULL;
}

bool parse_mac(const char *s, uint8_t mac[6])
{
	unsigned v[6];
	if (!s || sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6)
		return false;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)v[i];
	return true;
}

bool parse_ip(const char *s, uint32_t *ip)
{
	unsigned a, b, c, d;
	if (!s || sscanf(s, "%u.%u.%u.%u", &a, &b, &c, &d) != 4 || a > 255 || b > 255 || c > 255 || d > 255)
		return false;
	*ip = a << 24 | b << 16 | c << 8 | d;
	return true;
}

int64_t now_ns(void) { return uv_monotonic_ns(); }

long wait_frame(uint64_t nic, void *buf, size_t len, int64_t deadline)
{
	for (;;) {
		long r = uv_hc_net_read(nic, buf, len);
		if (r != -UV_EAGAIN)
			return r;
		int64_t now = now_ns();
		if (now >= deadline)
			return 0;
		long m = uv_hc_yield((uint64_t)deadline, UV_HANDLE_NIC(nic));
		if (m < 0)
			return m;
	}
}

int main(int argc, char **argv)
{
	const char *role = argc > 1 ? argv[1] : "";
	int failed;
	if (strcmp(role, "probe") == 0)
		failed = role_probe(argc, argv);
	else if (strcmp(role, "ping") == 0)
		failed = role_ping(argc, argv);
	else if (strcmp(role, "pong") == 0)
		failed = role_pong(argc, argv);
	else if (strcmp(role, "listen") == 0)
		failed = role_listen(argc, argv);
	else if (strcmp(role, "hostile") == 0)
		failed = role_hostile(argc, argv);
	else {
		printf("netcheck: unknown role '%s' (probe, ping, pong, listen, hostile)\n", role);
		return 2;
	}
	return failed ? 1 : 0;
}
