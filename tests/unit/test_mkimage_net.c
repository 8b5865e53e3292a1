/* tests/unit/test_mkimage_net.c: mkimage's network config (ports, segments, vNICs, net grants) written into the manifest, checked field by field; derived MACs; limits; the summary. */
#include <stdio.h>
#include <stdlib.h>
#include "tests/unit/unit.h"
#include "tests/unit/mkimage_fix.h"
#include "tools/mkimage/summary.h"
#include "kernel/app/manifest.h"
#include "include/abi/uv_hypercall.h"

static const char full[] =
	"[appliance]\n"                                                  /* 1 */
	"name = t\n"
	"[port wan]\n"
	"driver = e1000\n"
	"[port lan]\n"                                                   /* 5 */
	"driver = virtio-net\n"
	"index = 3\n"
	"[segment outside]\n"
	"port = wan\n"
	"[segment inside]\n"                                             /* 10 */
	"port = lan\n"
	"[segment dmz]\n"
	"[app fw]\n"
	"elf = a.elf\n"
	"memory = 4M\n"                                                  /* 15 */
	"nic = out segment=outside promisc any-src\n"
	"nic = in segment=inside mac=52:54:00:00:00:02 queue=128 ip=192.168.1.1/24 gw=192.168.1.254 dns=9.9.9.9\n"
	"nic = d segment=dmz dhcp queue=1\n"
	"grants = console net:out net:in\n"
	"[app web]\n"                                                    /* 20 */
	"elf = b.elf\n"
	"memory = 4M\n"
	"grants = net:in\n"
	"nic = in segment=dmz mac=0A:00:00:00:00:01 queue=1024   # the same name as fw's: names are per app\n";

static int mac_is(const uint8_t *mac, uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint8_t e, uint8_t f)
{
	const uint8_t want[6] = { a, b, c, d, e, f };
	return !memcmp(mac, want, 6);
}

TEST(network_records_field_by_field)
{
	mk_default_elfs();
	uint8_t *m;
	size_t len;
	CHECK_STR(mk_build(full, &m, &len), "");
	struct manifest_error me;
	CHECK_EQ(manifest_check(m, len, &me), 0);
	CHECK_EQ(mk_cfg.n_warnings, 1);
	CHECK_STR(mk_cfg.warnings[0],
		  "t.conf:18: warning: vNIC 'd' of app 'fw' is not granted (no net:d in its grants): the app cannot use it");

	const struct uv_manifest *h = (const struct uv_manifest *)m;
	CHECK_EQ(h->n_apps, 2);
	CHECK_EQ(h->n_ports, 2);
	CHECK_EQ(h->n_segments, 3);
	CHECK_EQ(h->n_vnics, 4);
	CHECK_EQ(h->reserved0, 0);
	CHECK_EQ(h->net.size, 2 * 48 + 3 * 40 + 4 * 120);
	CHECK_EQ(h->net.off % 16, 0);
	CHECK(h->net.off >= sizeof(*h) + 2 * sizeof(struct uv_manifest_app));
	/* The blob holds ports, segments, vNICs in that order; the accessors point there. */
	CHECK((const uint8_t *)manifest_ports(h) == m + h->net.off);
	CHECK((const uint8_t *)manifest_segments(h) == m + h->net.off + 2 * 48);
	CHECK((const uint8_t *)manifest_vnics(h) == m + h->net.off + 2 * 48 + 3 * 40);
	for (int i = 0; i < 2; i++) /* no app blob overlaps it */
		CHECK(h->apps[i].image.off >= h->net.off + h->net.size && h->apps[i].args.off >= h->net.off + h->net.size);

	const struct uv_manifest_port *p = manifest_ports(h);
	CHECK_STR(p[0].name, "wan");
	CHECK_EQ(p[0].driver, UV_PORT_E1000);
	CHECK_EQ(p[0].index, 0);
	CHECK_STR(p[1].name, "lan");
	CHECK_EQ(p[1].driver, UV_PORT_VIRTIO_NET);
	CHECK_EQ(p[1].index, 3);
	for (int i = 0; i < 2; i++)
		CHECK(p[i].flags == 0 && p[i].reserved == 0);

	const struct uv_manifest_segment *s = manifest_segments(h);
	CHECK_STR(s[0].name, "outside");
	CHECK_EQ(s[0].port, 0);
	CHECK_STR(s[1].name, "inside");
	CHECK_EQ(s[1].port, 1);
	CHECK_STR(s[2].name, "dmz");
	CHECK_EQ(s[2].port, UV_SEGMENT_INTERNAL);
	for (int i = 0; i < 3; i++)
		CHECK_EQ(s[i].flags, 0);

	const struct uv_manifest_vnic *v = manifest_vnics(h);
	CHECK_STR(v[0].name, "out");
	CHECK_EQ(v[0].app, 0);
	CHECK_EQ(v[0].segment, 0);
	CHECK_EQ(v[0].flags, UV_VNIC_PROMISC | UV_VNIC_ANY_SRC | UV_VNIC_GRANTED);
	CHECK_EQ(v[0].queue, UV_VNIC_QUEUE_DEFAULT);
	CHECK_EQ(v[0].mac[0], 0x02); /* derived: locally administered unicast */
	CHECK_STR(v[1].name, "in");
	CHECK_EQ(v[1].app, 0);
	CHECK_EQ(v[1].segment, 1);
	CHECK_EQ(v[1].flags, UV_VNIC_GRANTED);
	CHECK_EQ(v[1].queue, 128);
	CHECK(mac_is(v[1].mac, 0x52, 0x54, 0, 0, 0, 2));
	CHECK_STR(v[2].name, "d");
	CHECK_EQ(v[2].app, 0);
	CHECK_EQ(v[2].segment, 2);
	CHECK_EQ(v[2].flags, 0);
	CHECK_EQ(v[2].queue, 1);
	CHECK_EQ(v[2].mac[0], 0x02);
	CHECK_STR(v[3].name, "in");
	CHECK_EQ(v[3].app, 1);
	CHECK_EQ(v[3].segment, 2);
	CHECK_EQ(v[3].flags, UV_VNIC_GRANTED);
	CHECK_EQ(v[3].queue, UV_VNIC_QUEUE_MAX);
	CHECK(mac_is(v[3].mac, 0x0a, 0, 0, 0, 0, 1));
	for (int i = 0; i < 4; i++)
		CHECK(v[i].reserved0 == 0 && v[i].reserved1[0] == 0 && v[i].reserved1[1] == 0);
	CHECK(memcmp(v[0].mac, v[2].mac, 6) != 0);
	/* IP configurations: none, static with gateway and DNS, DHCP (config_ip.c). */
	CHECK_EQ(v[0].ip.mode, UV_IP_NONE);
	CHECK_EQ(v[1].ip.mode, UV_IP_STATIC);
	CHECK_EQ(v[1].ip.prefix, 24);
	CHECK(!memcmp(v[1].ip.addr, "\xc0\xa8\x01\x01", 4) && !memcmp(v[1].ip.gw, "\xc0\xa8\x01\xfe", 4) &&
	      !memcmp(v[1].ip.dns, "\x09\x09\x09\x09", 4));
	CHECK_EQ(v[2].ip.mode, UV_IP_DHCP);
	CHECK_EQ(v[2].ip.prefix, 0);
	CHECK_EQ(v[3].ip.mode, UV_IP_NONE);
	for (int i = 0; i < 4; i++)
		CHECK(v[i].ip.reserved[0] == 0 && v[i].ip.reserved[1] == 0);

	/* The net grant bit follows the granted vNICs (web's grants line comes before its nic line). */
	CHECK_EQ(h->apps[0].grants, UV_GRANT_BASE | UV_GRANT_CONSOLE | UV_GRANT_NET);
	CHECK_EQ(h->apps[1].grants, UV_GRANT_BASE | UV_GRANT_NET);

	/* Handles: the rank of a vNIC among its app's. */
	CHECK_EQ(manifest_app_vnic(h, 0, 0), 0);
	CHECK_EQ(manifest_app_vnic(h, 0, 2), 2);
	CHECK_EQ(manifest_app_vnic(h, 1, 0), 3);
	CHECK_EQ(manifest_app_vnic(h, 0, 3), -1);
	CHECK_EQ(manifest_app_vnic(h, 1, 1), -1);
	CHECK_EQ(manifest_app_vnic(h, 2, 0), -1);
	CHECK_EQ(manifest_app_vnic(h, 0, UINT32_MAX), -1);
	CHECK_EQ(manifest_vnic_handle(h, 0), 0);
	CHECK_EQ(manifest_vnic_handle(h, 2), 2);
	CHECK_EQ(manifest_vnic_handle(h, 3), 0);
	free(m);
}

/* Without a network the header's net fields are all zero. */
TEST(no_network_no_blob)
{
	mk_default_elfs();
	uint8_t *m;
	size_t len;
	CHECK_STR(mk_build("[appliance]\nname = t\n[app a]\nelf = a.elf\nmemory = 4M\n", &m, &len), "");
	const struct uv_manifest *h = (const struct uv_manifest *)m;
	CHECK(h->n_ports == 0 && h->n_segments == 0 && h->n_vnics == 0);
	CHECK(h->net.off == 0 && h->net.size == 0);
	CHECK_EQ(mk_cfg.n_warnings, 0);
	free(m);
}

/* The MAC of vNIC `vnic` of app `app` in appliance `appl`, derived by mkimage. */
static int derived(const char *appl, const char *app, const char *vnic, uint8_t mac[6])
{
	char c[512];
	snprintf(c, sizeof(c), "[appliance]\nname = %s\n[app %s]\nelf = a.elf\nmemory = 4M\nnic = %s segment=s\n"
		 "grants = net:%s\n[segment s]\n", appl, app, vnic, vnic);
	if (*mk_build(c, NULL, NULL))
		return -1;
	memcpy(mac, mk_cfg.vnics[0].mac, 6);
	return 0;
}

TEST(derived_macs)
{
	mk_default_elfs();
	uint8_t a[6], b[6];
	CHECK_EQ(derived("box", "fw", "out", a), 0);
	CHECK_EQ(a[0], 0x02);
	/* Stable across builds and hosts: the same names give these bytes, always. */
	CHECK_EQ(derived("box", "fw", "out", b), 0);
	CHECK(!memcmp(a, b, 6));
	char got[32];
	snprintf(got, sizeof(got), "%02x:%02x:%02x:%02x:%02x:%02x", a[0], a[1], a[2], a[3], a[4], a[5]);
	CHECK_STR(got, "02:7e:52:6e:cf:c8"); /* FNV-1a 64 of "box\0fw\0out\0", splitmix64 finalizer, low 5 bytes */
	/* Every name counts, and where one name ends counts. */
	CHECK_EQ(derived("boy", "fw", "out", b), 0);
	CHECK(memcmp(a, b, 6) != 0);
	CHECK_EQ(derived("box", "fx", "out", b), 0);
	CHECK(memcmp(a, b, 6) != 0);
	CHECK_EQ(derived("box", "fw", "oui", b), 0);
	CHECK(memcmp(a, b, 6) != 0);
	CHECK_EQ(derived("box", "fwo", "ut", b), 0);
	CHECK(memcmp(a, b, 6) != 0);
}

/* A MAC given with mac= that equals another vNIC's derived one is refused either way round. */
TEST(derived_mac_collides_with_given)
{
	mk_default_elfs();
	uint8_t d[6];
	CHECK_EQ(derived("t", "a", "n0", d), 0);
	char mac[24], c[600], want[300];
	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", d[0], d[1], d[2], d[3], d[4], d[5]);
	snprintf(c, sizeof(c), "[appliance]\nname = t\n[app a]\nelf = a.elf\nmemory = 4M\nnic = n0 segment=s\n"
		 "grants = net:n0\n[segment s]\n[app b]\nelf = a.elf\nmemory = 4M\nnic = m segment=s mac=%s\ngrants = net:m\n", mac);
	snprintf(want, sizeof(want), "t.conf:12: vNIC 'm' of app 'b': MAC %s is also vNIC 'n0' of app 'a' (line 6): set mac= on one of them", mac);
	CHECK_STR(mk_build(c, NULL, NULL), want);
	/* Given first, derived second: the derived one is named. */
	snprintf(c, sizeof(c), "[appliance]\nname = t\n[app b]\nelf = a.elf\nmemory = 4M\nnic = m segment=s mac=%s\n"
		 "grants = net:m\n[segment s]\n[app a]\nelf = a.elf\nmemory = 4M\nnic = n0 segment=s\ngrants = net:n0\n", mac);
	snprintf(want, sizeof(want), "t.conf:12: vNIC 'n0' of app 'a': derived MAC %s is also vNIC 'm' of app 'b' (line 6): set mac= on one of them", mac);
	CHECK_STR(mk_build(c, NULL, NULL), want);
}

TEST(network_limits)
{
	mk_default_elfs();
	static char c[40000];
	/* 8 apps with 8 vNICs each: 64, the most an appliance has; a 65th is refused. */
	int n = snprintf(c, sizeof(c), "[appliance]\nname = t\n[segment s]\n");
	for (int a = 0; a < 9; a++) {
		n += snprintf(c + n, sizeof(c) - n, "[app a%d]\nelf = a.elf\nmemory = 4M\n", a);
		for (int k = 0; k < (a < 8 ? 8 : 1); k++)
			n += snprintf(c + n, sizeof(c) - n, "nic = n%d segment=s\n", k);
	}
	/* Lines: 3 + 11 per full app; the 65th vNIC is line 3 + 8 * 11 + 4. */
	CHECK_STR(mk_build(c, NULL, NULL), "t.conf:95: too many vNICs (at most 64 in an appliance)");
	c[strstr(c, "[app a8]") - c] = 0;
	CHECK_STR(mk_build(c, NULL, NULL), "");
	CHECK_EQ(mk_cfg.n_vnics, 64);
	CHECK_EQ(mk_cfg.n_warnings, 64); /* none granted: only the first CFG_WARN_MAX are kept */
	CHECK(strstr(mk_cfg.warnings[CFG_WARN_MAX - 1], "vNIC 'n7' of app 'a1' is not granted") != NULL);
	/* 16 segments, each with a vNIC of its own; a 17th segment is refused. */
	n = snprintf(c, sizeof(c), "[appliance]\nname = t\n[app a]\nelf = a.elf\nmemory = 4M\n");
	for (int a = 0; a < 2; a++) {
		if (a)
			n += snprintf(c + n, sizeof(c) - n, "[app b]\nelf = a.elf\nmemory = 4M\n");
		for (int k = 0; k < 8; k++)
			n += snprintf(c + n, sizeof(c) - n, "nic = n%d segment=s%d\n", k, a * 8 + k);
	}
	for (int k = 0; k < 17; k++)
		n += snprintf(c + n, sizeof(c) - n, "[segment s%d]\n", k);
	CHECK_STR(mk_build(c, NULL, NULL), "t.conf:41: too many segments (at most 16)");
	c[strstr(c, "[segment s16]") - c] = 0;
	CHECK_STR(mk_build(c, NULL, NULL), "");
	CHECK_EQ(mk_cfg.n_segments, 16);
	/* 4 ports: two of each driver, the highest index allowed. */
	CHECK_STR(mk_build("[appliance]\nname = t\n[app a]\nelf = a.elf\nmemory = 4M\n"
			   "nic = w segment=w\nnic = x segment=x\nnic = y segment=y\nnic = z segment=z\n"
			   "[port p0]\ndriver = e1000\n[port p1]\ndriver = e1000\nindex = 15\n"
			   "[port p2]\ndriver = virtio-net\n[port p3]\ndriver = virtio-net\nindex = 1\n"
			   "[segment w]\nport = p0\n[segment x]\nport = p1\n[segment y]\nport = p2\n[segment z]\nport = p3\n",
			   NULL, NULL), "");
	CHECK_EQ(mk_cfg.n_ports, 4);
	CHECK_EQ(mk_cfg.ports[1].index, 15);
}

TEST(summary_names_the_network)
{
	mk_default_elfs();
	uint8_t *m;
	size_t len;
	CHECK_STR(mk_build(full, &m, &len), "");
	char *text = NULL;
	size_t tlen = 0;
	FILE *f = open_memstream(&text, &tlen);
	CHECK(f != NULL);
	manifest_summary(f, m);
	fclose(f);
	const struct uv_manifest *h = (const struct uv_manifest *)m;
	const struct uv_manifest_vnic *v = manifest_vnics(h);
	char want[2048];
	snprintf(want, sizeof(want),
		 "appliance 't': 2 apps, 2 ports, 3 segments, 4 vNICs, 0 channels; manifest %zu bytes\n"
		 "  app fw: memory 4M, stack 256K, grants base console net, restart never, image %llu bytes in 2 segments\n"
		 "    nic 0 out: segment outside, mac 02:%02x:%02x:%02x:%02x:%02x, queue 64, promisc, any-src, granted\n"
		 "    nic 1 in: segment inside, mac 52:54:00:00:00:02, queue 128, granted, ip 192.168.1.1/24 gw 192.168.1.254 dns 9.9.9.9\n"
		 "    nic 2 d: segment dmz, mac 02:%02x:%02x:%02x:%02x:%02x, queue 1, NOT granted, dhcp\n"
		 "  app web: memory 4M, stack 256K, grants base net, restart never, image %llu bytes in 2 segments\n"
		 "    nic 0 in: segment dmz, mac 0a:00:00:00:00:01, queue 1024, granted\n"
		 "  port wan: e1000 NIC 0\n"
		 "  port lan: virtio-net NIC 3\n"
		 "  segment outside: bridged to port wan: fw.out\n"
		 "  segment inside: bridged to port lan: fw.in\n"
		 "  segment dmz: internal: fw.d web.in\n",
		 len, (unsigned long long)h->apps[0].image.size, v[0].mac[1], v[0].mac[2], v[0].mac[3], v[0].mac[4],
		 v[0].mac[5], v[2].mac[1], v[2].mac[2], v[2].mac[3], v[2].mac[4], v[2].mac[5],
		 (unsigned long long)h->apps[1].image.size);
	CHECK_STR(text, want);
	free(text);
	free(m);
}
