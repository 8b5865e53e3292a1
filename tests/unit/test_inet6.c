/* tests/unit/test_inet6.c: IPv6 text forms (libos/net/inet6.c: RFC 4291 2.2 in, RFC 5952 out, address kinds) and mkimage's ip6= / gw6= records and summary. */
#include <stdio.h>
#include <stdlib.h>
#include "tests/unit/unit.h"
#include "tests/unit/mkimage_fix.h"
#include "tools/mkimage/summary.h"
#include "kernel/app/manifest.h"
#include "libos/net/inet6.h"

/* text parses and prints back as canon (RFC 5952). */
static int round_trip(const char *text, const char *canon)
{
	uint8_t a[UV_INET6_LEN];
	char out[UV_INET6_STRLEN];
	return uv_inet_pton6(text, a) == 1 && uv_inet_ntop6(a, out, sizeof(out)) == out && !strcmp(out, canon);
}

TEST(pton6_good_and_canonical)
{
	CHECK(round_trip("::", "::"));
	CHECK(round_trip("::1", "::1"));
	CHECK(round_trip("1::", "1::"));
	CHECK(round_trip("fd00:1::5", "fd00:1::5"));
	CHECK(round_trip("FD00:0001:0000:0000:0000:0000:0000:0005", "fd00:1::5"));
	CHECK(round_trip("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1")); /* RFC 5952 4.2.3: the first of equal runs */
	CHECK(round_trip("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"));       /* 4.2.3: the longest run */
	CHECK(round_trip("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1")); /* 4.2.2: one zero group stays */
	CHECK(round_trip("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"));
	CHECK(round_trip("::ffff:10.0.2.15", "::ffff:10.0.2.15"));       /* 5: IPv4-mapped in dotted form */
	CHECK(round_trip("::10.0.2.15", "::a00:20f"));
	CHECK(round_trip("fe80::5054:ff:fe12:3456", "fe80::5054:ff:fe12:3456"));
	CHECK(round_trip("1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304"));
}

TEST(pton6_refuses)
{
	static const char *const bad[] = {
		"", ":", ":::", "1:::2", "1::2::3", ":1::2", "1::2:", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9",
		"1::2:3:4:5:6:7:8", "12345::", "g::", "fe80::1%eth0", "[::1]", "::1/64", "1.2.3.4", "::1.2.3",
		"::1.2.3.04", "::256.1.1.1", "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3.4:5", " ::1", "::1 ",
	};
	uint8_t a[UV_INET6_LEN];
	memset(a, 0xaa, sizeof(a));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (uv_inet_pton6(bad[i], a) != 0) {
			unit_fail(__FILE__, __LINE__, bad[i]);
			return;
		}
	}
	for (size_t i = 0; i < sizeof(a); i++)
		CHECK(a[i] == 0xaa); /* unchanged on refusal */
}

TEST(ntop6_room)
{
	uint8_t a[UV_INET6_LEN];
	char out[UV_INET6_STRLEN];
	CHECK(uv_inet_pton6("fd00:1::5", a));
	CHECK(uv_inet_ntop6(a, out, 10) == out); /* "fd00:1::5" and its NUL */
	CHECK(uv_inet_ntop6(a, out, 9) == NULL);
	memset(a, 0xff, sizeof(a));
	CHECK(uv_inet_ntop6(a, out, sizeof(out)) == out);
	CHECK_STR(out, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
}

TEST(kinds_and_prefixes)
{
	uint8_t a[UV_INET6_LEN], b[UV_INET6_LEN];
	CHECK(uv_inet_pton6("::", a) && uv_inet6_kind(a) == UV_INET6_UNSPECIFIED);
	CHECK(uv_inet_pton6("::1", a) && uv_inet6_kind(a) == UV_INET6_LOOPBACK);
	CHECK(uv_inet_pton6("::2", a) && uv_inet6_kind(a) == UV_INET6_UNICAST);
	CHECK(uv_inet_pton6("ff02::1", a) && uv_inet6_kind(a) == UV_INET6_MULTICAST);
	CHECK(uv_inet_pton6("febf::1", a) && uv_inet6_kind(a) == UV_INET6_LINK_LOCAL);
	CHECK(uv_inet_pton6("fec0::1", a) && uv_inet6_kind(a) == UV_INET6_UNICAST);
	CHECK(uv_inet_pton6("::ffff:1.2.3.4", a) && uv_inet6_kind(a) == UV_INET6_V4_MAPPED);
	CHECK(uv_inet_pton6("fd00:1::5", a) && uv_inet_pton6("fd00:1::8000:0:0:1", b));
	CHECK(uv_inet6_same_prefix(a, b, 64) && uv_inet6_same_prefix(a, b, 0) && !uv_inet6_same_prefix(a, b, 65));
	CHECK(!uv_inet6_same_prefix(a, b, 128));
	CHECK(uv_inet_pton6("fd00:1::", a) && uv_inet6_host_zero(a, 64) && uv_inet6_host_zero(a, 32) && !uv_inet6_host_zero(a, 31));
	CHECK(uv_inet_pton6("fd00:1::8000:0:0:0", a) && !uv_inet6_host_zero(a, 64) && uv_inet6_host_zero(a, 65));
}

static const char conf6[] =
	"[appliance]\nname = t\n[segment lan]\n[app a]\nelf = a.elf\nmemory = 4M\n"
	"nic = n0 segment=lan ip=10.9.0.1/24 ip6=fd00:1:0:0::5/64 gw6=FE80::1\n"
	"nic = n1 segment=lan ip6=link-local\n"
	"nic = n2 segment=lan dhcp ip6=2001:db8::7/48 gw6=2001:db8:0:1::1   # outside the /64: a warning\n"
	"nic = n3 segment=lan\n"
	"grants = net:n0 net:n1 net:n2 net:n3\n";

TEST(mkimage_ip6_records)
{
	mk_default_elfs();
	uint8_t *m;
	size_t len;
	CHECK_STR(mk_build(conf6, &m, &len), "");
	struct manifest_error me;
	CHECK_EQ(manifest_check(m, len, &me), 0);
	CHECK_EQ(mk_cfg.n_warnings, 1);
	CHECK_STR(mk_cfg.warnings[0], "t.conf:9: warning: vNIC 'n2' of app 'a': gw6 2001:db8:0:1::1 lies outside 2001:db8::7's /64: "
				      "libos's network stack (lwIP 2.1.3) finds neighbours only there and cannot reach it");
	const struct uv_manifest_vnic *v = manifest_vnics((const struct uv_manifest *)m);
	uint8_t want[UV_INET6_LEN];
	CHECK_EQ(v[0].ip.mode, UV_IP_STATIC);
	CHECK_EQ(v[0].ip.mode6, UV_IP6_STATIC);
	CHECK_EQ(v[0].ip.prefix6, 64);
	CHECK(uv_inet_pton6("fd00:1::5", want) && !memcmp(v[0].ip.addr6, want, UV_INET6_LEN));
	CHECK(uv_inet_pton6("fe80::1", want) && !memcmp(v[0].ip.gw6, want, UV_INET6_LEN));
	CHECK_EQ(v[1].ip.mode6, UV_IP6_LINK_LOCAL);
	CHECK_EQ(v[1].ip.prefix6, 0);
	CHECK(uv_inet_pton6("::", want) && !memcmp(v[1].ip.addr6, want, UV_INET6_LEN) && !memcmp(v[1].ip.gw6, want, UV_INET6_LEN));
	CHECK_EQ(v[2].ip.mode, UV_IP_DHCP);
	CHECK_EQ(v[2].ip.mode6, UV_IP6_STATIC);
	CHECK_EQ(v[2].ip.prefix6, 48);
	CHECK_EQ(v[3].ip.mode6, UV_IP6_NONE);
	char *text = NULL;
	size_t tlen = 0;
	FILE *f = open_memstream(&text, &tlen);
	CHECK(f != NULL);
	manifest_summary(f, m);
	fclose(f);
	CHECK(strstr(text, ", granted, ip 10.9.0.1/24 gw 0.0.0.0, ip6 link-local fd00:1::5/64 gw6 fe80::1\n") != NULL);
	CHECK(strstr(text, "    nic 1 n1: segment lan, mac ") && strstr(text, ", granted, ip6 link-local\n"));
	CHECK(strstr(text, ", granted, dhcp, ip6 link-local 2001:db8::7/48 gw6 2001:db8:0:1::1\n") != NULL);
	free(text);
	free(m);
}
