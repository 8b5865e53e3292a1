/* tests/unit/test_manifest.c: manifest_check (kernel/app/manifest.c) on a hand-built manifest with every field corrupted in turn. */
#include <stdio.h>
#include <stdlib.h>
#include "tests/unit/unit.h"
#include "tests/unit/elfgen.h"
#include "kernel/app/manifest.h"
#include "tools/mkimage/elf.h"
#include "include/abi/uv_hypercall.h"

static _Alignas(16) uint8_t buf[1 << 16];
static struct uv_manifest *h;
static struct uv_manifest_app *a; /* a[0] and a[1] */
static size_t total;
static size_t image_len;
/* The network, in the net blob after the apps' blobs: 2 ports, 3 segments, 3 vNICs. */
static struct uv_manifest_port *np;
static struct uv_manifest_segment *ns;
static struct uv_manifest_vnic *nv;
#define N_PORTS 2
#define N_SEGMENTS 3
#define N_VNICS 3

static size_t put(size_t at, const void *p, size_t n)
{
	memcpy(buf + at, p, n);
	return (at + n + 15) & ~(size_t)15;
}

/* Two apps "a" and "b" sharing one layout: image and loads (of elfgen's default ELF), args, symbol table each. */
static void build(void)
{
	memset(buf, 0, sizeof(buf));
	h = (struct uv_manifest *)buf;
	a = h->apps;
	struct gen_elf g;
	gen_default(&g);
	uint8_t *elf;
	size_t elf_len = gen_build(&g, &elf);
	struct elf_image img;
	char why[160];
	if (elf_check(elf, elf_len, UV_GUEST_IMAGE_MIN, UV_GUEST_MEM_MAX, &img, why, sizeof(why)))
		abort();
	size_t at = sizeof(*h) + 2 * sizeof(*a);
	static const char *const names[2] = { "a", "b" };
	for (int i = 0; i < 2; i++) {
		struct uv_manifest_app *r = &a[i];
		strcpy(r->name, names[i]);
		r->mem_size = 4 << 20;
		r->stack_size = 64 << 10;
		r->grants = UV_GRANT_BASE | UV_GRANT_CONSOLE;
		r->restart = UV_RESTART_ON_FAILURE;
		r->restart_limit = 3;
		r->restart_backoff_ms = 100;
		image_len = 0;
		r->entry = img.entry;
		r->n_loads = img.n_segments;
		for (unsigned k = 0; k < img.n_segments; k++) {
			const struct elf_segment *sg = &img.seg[k];
			r->load[k] = (struct uv_manifest_load){ sg->vaddr, sg->memsz, image_len, sg->filesz, (uint32_t)sg->skip,
								sg->flags };
			memcpy(buf + at + image_len, elf + sg->offset, sg->filesz);
			image_len += sg->filesz;
		}
		r->image = (struct uv_manifest_blob){ at, image_len };
		at = (at + image_len + 15) & ~(size_t)15;
		static const char args[] = "a\0-v\0";
		r->argc = 2;
		r->args = (struct uv_manifest_blob){ at, sizeof(args) - 1 };
		at = put(at, args, sizeof(args) - 1);
		struct {
			struct uv_symtab h;
			struct uv_sym s[2];
			char str[12];
		} st = { { 2, 12 }, { { 0x200000, 16, 0 }, { 0x200010, 32, 7 } }, "_start\0main" };
		size_t stlen = sizeof(st.h) + sizeof(st.s) + sizeof(st.str); /* without the struct's tail padding */
		r->syms = (struct uv_manifest_blob){ at, stlen };
		at = put(at, &st, stlen);
	}
	free(elf);
	h->magic = UV_MANIFEST_MAGIC;
	h->version = UV_MANIFEST_VERSION;
	h->n_apps = 2;
	strcpy(h->name, "box");
	/* wan (e1000 0) bridges outside, lan (virtio-net 2) bridges dmz, inside is internal. App a has
	 * out (on outside) and in (on inside), both granted; app b has its own in (on dmz), not granted. */
	static const struct uv_manifest_port ports[N_PORTS] = {
		{ "wan", UV_PORT_E1000, 0, 0, 0 }, { "lan", UV_PORT_VIRTIO_NET, 2, 0, 0 },
	};
	static const struct uv_manifest_segment segs[N_SEGMENTS] = {
		{ "outside", 0, 0 }, { "inside", UV_SEGMENT_INTERNAL, 0 }, { "dmz", 1, 0 },
	};
	static const struct uv_manifest_vnic vnics[N_VNICS] = {
		{ "out", { 2, 0, 0, 0, 0, 1 }, 0, 0, 0, UV_VNIC_PROMISC | UV_VNIC_ANY_SRC | UV_VNIC_GRANTED, 64, { UV_IP_DHCP, 0, { 0, 0 }, { 0, 0, 0, 0 }, { 0, 0, 0, 0 }, { 0, 0, 0, 0 }, UV_IP6_LINK_LOCAL, 0, { 0 }, { 0 }, { 0 } }, { 0, 0 } },
		{ "in", { 0x52, 0x54, 0, 0, 0, 2 }, 0, 0, 1, UV_VNIC_GRANTED, UV_VNIC_QUEUE_MAX, { UV_IP_STATIC, 24, { 0, 0 }, { 10, 0, 2, 15 }, { 10, 0, 2, 2 }, { 10, 0, 2, 3 },
		  UV_IP6_STATIC, 64, { 0 }, { 0xfd, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5 }, { 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 } },
		  { 0, 0 } },
		{ "in", { 2, 0, 0, 0, 0, 3 }, 0, 1, 2, 0, 1, { UV_IP_NONE, 0, { 0, 0 }, { 0, 0, 0, 0 }, { 0, 0, 0, 0 }, { 0, 0, 0, 0 }, UV_IP6_NONE, 0, { 0 }, { 0 }, { 0 } }, { 0, 0 } },
	};
	a[0].grants |= UV_GRANT_NET;
	h->n_ports = N_PORTS;
	h->n_segments = N_SEGMENTS;
	h->n_vnics = N_VNICS;
	h->net = (struct uv_manifest_blob){ at, sizeof(ports) + sizeof(segs) + sizeof(vnics) };
	np = (struct uv_manifest_port *)(buf + at);
	ns = (struct uv_manifest_segment *)(buf + at + sizeof(ports));
	nv = (struct uv_manifest_vnic *)(buf + at + sizeof(ports) + sizeof(segs));
	memcpy(np, ports, sizeof(ports));
	memcpy(ns, segs, sizeof(segs));
	memcpy(nv, vnics, sizeof(vnics));
	at = (at + h->net.size + 15) & ~(size_t)15;
	total = at;
	h->total_size = total;
}

/* Rewrites the net blob with n vNICs of app 0 on segment 1 (distinct names and MACs), none granted. */
static void many_vnics(uint32_t n)
{
	a[0].grants &= ~(uint64_t)UV_GRANT_NET;
	h->n_vnics = n;
	h->net.size = N_PORTS * sizeof(*np) + N_SEGMENTS * sizeof(*ns) + n * sizeof(*nv);
	for (uint32_t i = 0; i < n; i++) {
		memset(&nv[i], 0, sizeof(nv[i]));
		snprintf(nv[i].name, sizeof(nv[i].name), "v%u", i);
		nv[i].mac[0] = 2;
		nv[i].mac[5] = (uint8_t)(i + 1);
		nv[i].segment = 1;
		nv[i].queue = 1;
	}
	total = (h->net.off + h->net.size + 15) & ~(size_t)15;
	h->total_size = total;
}

static struct manifest_error e;
static int check(void) { return manifest_check(buf, total, &e); }

TEST(valid_manifest_passes)
{
	build();
	CHECK_EQ(check(), 0);
	CHECK_EQ(e.app, -1);
	/* Trailing bytes past total_size are ignored; symbols and restart policy are optional. */
	CHECK_EQ(manifest_check(buf, total + 100, &e), 0);
	a[1].syms = (struct uv_manifest_blob){ 0, 0 };
	a[1].restart = UV_RESTART_NEVER;
	a[1].restart_limit = 0;
	CHECK_EQ(check(), 0);
	/* No network at all: every net field zero. */
	build();
	h->n_ports = h->n_segments = h->n_vnics = 0;
	h->net = (struct uv_manifest_blob){ 0, 0 };
	a[0].grants &= ~(uint64_t)UV_GRANT_NET;
	CHECK_EQ(check(), 0);
	/* Only internal segments; a vNIC without a grant; eight vNICs in one app. */
	build();
	many_vnics(UV_APP_MAX_VNICS);
	CHECK_EQ(check(), 0);
}

TEST(network_accessors)
{
	build();
	CHECK_EQ(check(), 0);
	CHECK(manifest_ports(h) == np);
	CHECK(manifest_segments(h) == ns);
	CHECK(manifest_vnics(h) == nv);
	CHECK_EQ(manifest_app_vnic(h, 0, 0), 0);
	CHECK_EQ(manifest_app_vnic(h, 0, 1), 1);
	CHECK_EQ(manifest_app_vnic(h, 1, 0), 2);
	CHECK_EQ(manifest_app_vnic(h, 1, 1), -1);
	CHECK_EQ(manifest_app_vnic(h, 0, 2), -1);
	CHECK_EQ(manifest_app_vnic(h, 7, 0), -1);
	CHECK_EQ(manifest_vnic_handle(h, 0), 0);
	CHECK_EQ(manifest_vnic_handle(h, 1), 1);
	CHECK_EQ(manifest_vnic_handle(h, 2), 0);
	CHECK_EQ(manifest_vnic_handle(h, 3), UINT32_MAX);
}

/* Each corruption with the app it must blame (-1: the header) and a piece of the message. */
struct corrupt {
	const char *what;
	void (*fn)(void);
	int app;
	const char *msg;
};

#define C(name, ...) static void c_##name(void) { __VA_ARGS__; }
#define SYMTAB(i) ((struct uv_symtab *)(buf + a[i].syms.off))
C(magic, h->magic ^= 1)
C(version, h->version = 1)
C(napps0, h->n_apps = 0)
C(napps17, h->n_apps = 17)
C(napps3, h->n_apps = 3)
C(total_big, h->total_size = total + 16)
C(total_small, h->total_size = 10)
C(total_records, h->total_size = sizeof(*h) + sizeof(*a))
C(hflags, h->flags = 1)
C(hname_empty, h->name[0] = 0)
C(hname_tail, h->name[20] = 'x')
C(hname_full, memset(h->name, 'a', sizeof(h->name)))
C(hname_upper, h->name[0] = 'B')
C(name_empty, a[0].name[0] = 0)
C(name_dot, a[1].name[0] = '.')
C(name_unterminated, memset(a[0].name, 'z', sizeof(a[0].name)))
C(name_dup, a[1].name[0] = 'a')
C(mem_unaligned, a[0].mem_size += 1)
C(mem_small, a[0].mem_size = 1 << 20)
C(mem_big, a[1].mem_size = 8ull << 30)
C(mem_huge, a[1].mem_size = UINT64_MAX & ~4095ull)
C(stack_zero, a[0].stack_size = 0)
C(stack_unaligned, a[0].stack_size += 8)
C(stack_all, a[0].stack_size = a[0].mem_size)
C(stack_huge, a[0].stack_size = UINT64_MAX & ~4095ull)
C(stack_over_elf, a[1].stack_size = a[1].mem_size - 0x200000 - 0x2000)
C(grants_unknown, a[0].grants |= 1ull << 40)
C(grants_nobase, a[0].grants = UV_GRANT_CONSOLE)
C(restart, a[0].restart = 3)
C(restart_never_limit, a[0].restart = UV_RESTART_NEVER)
C(restart_limit, a[1].restart_limit = MANIFEST_RESTART_LIMIT_MAX + 1)
C(backoff, a[1].restart_backoff_ms = MANIFEST_BACKOFF_MAX_MS + 1)
C(flags, a[0].flags = 2)
C(reserved0, a[0].reserved0 = 1)
C(reserved1, a[1].reserved1 = 1)
C(reserved_tail, a[1].reserved[1] = 1)
C(image_past_end, a[0].image.off = total)
C(image_in_records, a[0].image.off = 8)
C(image_wrap, a[1].image.size = UINT64_MAX)
C(image_off_wrap, a[1].image.off = UINT64_MAX - 4)
C(image_size_over, a[1].image.size = total - a[1].image.off + 1)
C(args_empty, a[0].args.size = 0)
C(args_out, a[0].args.off = total + 1)
C(args_long, a[0].args = (struct uv_manifest_blob){ a[0].image.off, UV_BOOT_INFO_ARGS_MAX + 1 })
C(args_argc, a[0].argc = 3)
C(args_argc0, a[1].argc = 0)
C(args_nul, buf[a[1].args.off + a[1].args.size - 1] = 'x')
C(syms_off_only, a[0].syms.size = 0)
C(syms_misaligned, a[0].syms.off += 4)
C(syms_out, a[1].syms.size = total)
C(syms_short, a[1].syms.size = 4)
C(syms_n, SYMTAB(0)->n = 0x10000000)
C(syms_strsize, SYMTAB(0)->strtab_size = 11)
C(syms_strnul, ((char *)(SYMTAB(1)->syms + 2))[11] = 'x')
C(syms_nameoff, SYMTAB(1)->syms[1].name_off = 12)
C(syms_order, SYMTAB(0)->syms[0].addr = 0x300000)
C(syms_wrap, SYMTAB(0)->syms[1].addr = UINT64_MAX - 4)
C(loads0, a[0].n_loads = 0)
C(loads9, a[1].n_loads = UV_MANIFEST_MAX_LOADS + 1)
C(load_tail, a[0].load[UV_MANIFEST_MAX_LOADS - 1].flags = UV_LOAD_R)
C(load_past_n, a[1].n_loads = 1)
C(load_flags, a[0].load[1].flags |= 8)
C(load_unaligned, a[0].load[0].vaddr += 16)
C(load_memsz_unaligned, a[1].load[1].memsz -= 1)
C(load_memsz0, a[1].load[1].memsz = 0)
C(load_skip, a[0].load[1].skip = 0x1000)
C(load_filesz, a[0].load[1].filesz = a[0].load[1].memsz + 1)
C(load_skip_filesz, a[0].load[0].skip = 0x10)
C(load_low, a[1].load[0].vaddr = 0x100000)
C(load_wrap, a[1].load[1].memsz = UINT64_MAX & ~4095ull)
C(load_high, a[0].load[1].vaddr = 0x3ef000)
C(load_bytes_out, a[0].load[1].off = a[0].image.size)
C(load_bytes_long, a[1].load[1].filesz = 0x2000)
C(load_bytes_off_wrap, a[1].load[0].off = UINT64_MAX)
C(image_short, a[0].image.size -= 1)
C(load_overlap, a[0].load[1].vaddr = 0x200000)
C(load_entry, a[0].entry = 0x201000)
C(load_entry_not_x, a[1].load[0].flags = UV_LOAD_R)
C(nports5, h->n_ports = 5)
C(nsegs17, h->n_segments = 17)
C(nvnics65, h->n_vnics = 65)
C(nvnics_huge, h->n_vnics = UINT32_MAX)
C(hreserved0, h->reserved0 = 1)
C(net_short, h->net.size -= 1)
C(net_counts, h->n_vnics = 2)
C(net_empty_off, h->n_ports = h->n_segments = h->n_vnics = 0; h->net.size = 0; a[0].grants &= ~(uint64_t)UV_GRANT_NET)
C(net_absent, h->net = (struct uv_manifest_blob){ 0, 0 })
C(net_misaligned, h->net.off += 4)
C(net_past_end, h->net.off = total - 8)
C(net_in_records, h->net.off = 8)
C(net_off_wrap, h->net.off = UINT64_MAX - 7)
C(net_overlap, h->net.off = a[1].args.off)
C(port_name_empty, np[0].name[0] = 0)
C(port_name_tail, np[1].name[20] = 'x')
C(port_name_dot, np[1].name[0] = '.')
C(port_name_dup, strcpy(np[1].name, "wan"))
C(port_driver0, np[0].driver = 0)
C(port_driver3, np[1].driver = 3)
C(port_index16, np[1].index = MANIFEST_PORT_INDEX_MAX + 1)
C(port_flags, np[0].flags = 1)
C(port_reserved, np[1].reserved = 1)
C(port_same_nic, np[1].driver = UV_PORT_E1000; np[1].index = 0)
C(seg_name_upper, ns[0].name[0] = 'O')
C(seg_name_full, memset(ns[2].name, 'd', sizeof(ns[2].name)))
C(seg_name_dup, strcpy(ns[2].name, "inside"))
C(seg_port_range, ns[0].port = N_PORTS)
C(seg_port_shared, ns[2].port = 0)
C(seg_flags, ns[1].flags = 4)
C(vnic_app, nv[2].app = 2)
C(vnic_app_huge, nv[0].app = UINT32_MAX)
C(vnic_name_empty, nv[0].name[0] = 0)
C(vnic_name_tail, nv[2].name[31] = 'z')
C(vnic_name_dup, strcpy(nv[1].name, "out"))
C(vnic_name_dup_moved, nv[2].app = 0)
C(vnic_segment, nv[1].segment = N_SEGMENTS)
C(vnic_segment_internal, nv[1].segment = UV_SEGMENT_INTERNAL)
C(vnic_flags, nv[0].flags |= 8)
C(vnic_reserved0, nv[1].reserved0 = 1)
C(vnic_reserved1, nv[2].reserved1[1] = 1)
C(vnic_ip_mode, nv[1].ip.mode = UV_IP_MODE_MAX + 1)
C(vnic_ip_reserved, nv[1].ip.reserved[1] = 1)
C(vnic_ip_prefix0, nv[1].ip.prefix = 0)
C(vnic_ip_prefix31, nv[1].ip.prefix = 31)
C(vnic_ip_network, nv[1].ip.addr[3] = 0)
C(vnic_ip_broadcast, nv[1].ip.addr[3] = 255)
C(vnic_ip_loopback, nv[1].ip.addr[0] = 127)
C(vnic_ip_multicast, nv[1].ip.addr[0] = 224)
C(vnic_ip_gw_self, nv[1].ip.gw[3] = 15)
C(vnic_ip_gw_offnet, nv[1].ip.gw[2] = 3)
C(vnic_ip_dns_zero_net, nv[1].ip.dns[0] = 0)
C(vnic_ip_dhcp_addr, nv[0].ip.addr[0] = 10)
C(vnic_ip_none_prefix, nv[2].ip.prefix = 24)
C(vnic_ip6_mode, nv[1].ip.mode6 = UV_IP6_MODE_MAX + 1)
C(vnic_ip6_reserved, nv[1].ip.reserved6[5] = 1)
C(vnic_ip6_prefix0, nv[1].ip.prefix6 = 0)
C(vnic_ip6_prefix129, nv[1].ip.prefix6 = UV_IP6_PREFIX_MAX + 1)
C(vnic_ip6_multicast, nv[1].ip.addr6[0] = 0xff)
C(vnic_ip6_link_local, nv[1].ip.addr6[0] = 0xfe; nv[1].ip.addr6[1] = 0x80)
C(vnic_ip6_unspecified, memset(nv[1].ip.addr6, 0, UV_IP6_LEN))
C(vnic_ip6_loopback, memset(nv[1].ip.addr6, 0, UV_IP6_LEN); nv[1].ip.addr6[15] = 1)
C(vnic_ip6_v4_mapped, memset(nv[1].ip.addr6, 0, UV_IP6_LEN); nv[1].ip.addr6[10] = nv[1].ip.addr6[11] = 0xff)
C(vnic_ip6_anycast, nv[1].ip.addr6[15] = 0)
C(vnic_ip6_gw_self, memcpy(nv[1].ip.gw6, nv[1].ip.addr6, UV_IP6_LEN))
C(vnic_ip6_gw_offnet, memcpy(nv[1].ip.gw6, nv[1].ip.addr6, UV_IP6_LEN); nv[1].ip.gw6[3] = 2)
C(vnic_ip6_gw_multicast, nv[1].ip.gw6[0] = 0xff)
C(vnic_ip6_ll_addr, nv[0].ip.addr6[0] = 0xfd)
C(vnic_ip6_ll_prefix, nv[0].ip.prefix6 = 64)
C(vnic_ip6_ll_gw_global, nv[0].ip.gw6[0] = 0xfd; nv[0].ip.gw6[15] = 1)
C(vnic_ip6_none_fields, nv[2].ip.prefix6 = 64)
C(vnic_ip6_none_gw, nv[2].ip.gw6[0] = 0xfe)
C(vnic_ip6_ungranted, nv[2].ip.mode6 = UV_IP6_LINK_LOCAL)
C(vnic_mac_multicast, nv[0].mac[0] |= 1)
C(vnic_mac_broadcast, memset(nv[1].mac, 0xff, 6))
C(vnic_mac_zero, memset(nv[2].mac, 0, 6))
C(vnic_mac_dup, memcpy(nv[2].mac, nv[0].mac, 6))
C(vnic_queue0, nv[0].queue = 0)
C(vnic_queue_big, nv[2].queue = UV_VNIC_QUEUE_MAX + 1)
C(vnic_too_many, many_vnics(UV_APP_MAX_VNICS + 1))
C(grant_net_unused, a[1].grants |= UV_GRANT_NET)
C(grant_net_missing, a[0].grants &= ~(uint64_t)UV_GRANT_NET)
C(grant_net_ungranted, nv[0].flags &= ~UV_VNIC_GRANTED; nv[1].flags &= ~UV_VNIC_GRANTED)
C(grant_net_other_app, nv[2].flags |= UV_VNIC_GRANTED)

#define E(name, app, msg) { #name, c_##name, app, msg }
static const struct corrupt corrupt[] = {
	E(magic, -1, "bad manifest magic 0x464d5654 (expected 0x464d5655)"),
	E(version, -1, "manifest version 1, this kernel reads version 5"),
	E(napps0, -1, "manifest has 0 apps (1..16 allowed)"),
	E(napps17, -1, "manifest has 17 apps (1..16 allowed)"),
	E(napps3, 0, "app 0 'a': image blob [0x"),
	E(total_big, -1, "manifest total_size"),
	E(total_small, -1, "manifest total_size 10 is outside [1072,"),
	E(total_records, -1, "manifest total_size 592 is outside [1072,"),
	E(hflags, -1, "manifest flags 0x1 are not zero"),
	E(hname_empty, -1, "appliance name is not 1-31 of [a-z0-9_-] padded with NULs"),
	E(hname_tail, -1, "appliance name"),
	E(hname_full, -1, "appliance name"),
	E(hname_upper, -1, "appliance name"),
	E(name_empty, 0, "app 0: name is not 1-31 of [a-z0-9_-] padded with NULs"),
	E(name_dot, 1, "app 1: name"),
	E(name_unterminated, 0, "app 0: name"),
	E(name_dup, 1, "app 1 'a': name is also app 0's"),
	E(mem_unaligned, 0, "app 0 'a': mem_size 0x400001 is not a multiple of 4 KiB in [0x400000, 0x100000000]"),
	E(mem_small, 0, "mem_size 0x100000"),
	E(mem_big, 1, "mem_size 0x200000000"),
	E(mem_huge, 1, "mem_size 0xfffffffffffff000"),
	E(stack_zero, 0, "app 0 'a': stack_size 0 is not a multiple of 4 KiB leaving room for the image in mem_size 0x400000"),
	E(stack_unaligned, 0, "stack_size 0x10008"),
	E(stack_all, 0, "stack_size 0x400000"),
	E(stack_huge, 0, "stack_size 0xfffffffffffff000"),
	E(stack_over_elf, 1, "app 1 'b': segment 1: [0x201000, 0x203000) lies outside the app's image area [0x200000, 0x201000)"),
	E(grants_unknown, 0, "app 0 'a': grants 0x10000000013 has unknown bits or lacks base"),
	E(grants_nobase, 0, "grants 0x2 has unknown bits or lacks base"),
	E(restart, 0, "app 0 'a': unknown restart policy 3"),
	E(restart_never_limit, 0, "restart_limit 3 is above 1000 or set without a restart policy"),
	E(restart_limit, 1, "restart_limit 1001"),
	E(backoff, 1, "app 1 'b': restart_backoff_ms 3600001 is above 3600000"),
	E(flags, 0, "app 0 'a': unknown flags 0x2"),
	E(reserved0, 0, "app 0 'a': reserved fields are not zero"),
	E(reserved1, 1, "reserved fields are not zero"),
	E(reserved_tail, 1, "app 1 'b': reserved fields are not zero"),
	E(image_past_end, 0, "app 0 'a': image blob ["),
	E(image_in_records, 0, "image blob [0x8,"),
	E(image_wrap, 1, "image blob"),
	E(image_off_wrap, 1, "image blob [0xfffffffffffffffb,"),
	E(image_size_over, 1, "image blob"),
	E(args_empty, 0, "app 0 'a': args are not 2 NUL-terminated strings in 1..3072 bytes (0 bytes)"),
	E(args_out, 0, "app 0 'a': args blob"),
	E(args_long, 0, "args are not 2 NUL-terminated strings in 1..3072 bytes (3073 bytes)"),
	E(args_argc, 0, "args are not 3 NUL-terminated strings"),
	E(args_argc0, 1, "args are not 0 NUL-terminated strings"),
	E(args_nul, 1, "args are not 2"),
	E(syms_off_only, 0, "app 0 'a': empty symbol table blob with offset"),
	E(syms_misaligned, 0, "symbol table blob"),
	E(syms_out, 1, "symbol table blob"),
	E(syms_short, 1, "symbol table: 4 bytes, shorter than its header"),
	E(syms_n, 0, "app 0 'a': symbol table: 268435456 entries and 12 string bytes do not add up to its size 52"),
	E(syms_strsize, 0, "symbol table: 2 entries and 11 string bytes"),
	E(syms_strnul, 1, "symbol table: string table is empty or not NUL-terminated"),
	E(syms_nameoff, 1, "symbol table: symbol 1: name offset 12 outside the string table"),
	E(syms_order, 0, "symbol table: symbol 1: address 0x200010 out of order or wrapping"),
	E(syms_wrap, 0, "symbol 1: address 0xfffffffffffffffb out of order or wrapping"),
	E(loads0, 0, "app 0 'a': 0 loadable segments (1..8 allowed)"),
	E(loads9, 1, "app 1 'b': 9 loadable segments (1..8 allowed)"),
	E(load_tail, 0, "app 0 'a': segment record 7 past the 2 used is not zero"),
	E(load_past_n, 1, "app 1 'b': segment record 1 past the 1 used is not zero"),
	E(load_flags, 0, "app 0 'a': segment 1: flags 0xe, pages [0x201000, +0x2000), bytes at +0, 0x1000 long: not whole pages holding its bytes"),
	E(load_unaligned, 0, "segment 0: flags 0x5, pages [0x200010,"),
	E(load_memsz_unaligned, 1, "segment 1: flags 0x6, pages [0x201000, +0x1fff)"),
	E(load_memsz0, 1, "segment 1: flags 0x6, pages [0x201000, +0)"),
	E(load_skip, 0, "segment 1: flags 0x6, pages [0x201000, +0x2000), bytes at +0x1000,"),
	E(load_filesz, 0, "0x2001 long: not whole pages holding its bytes"),
	E(load_skip_filesz, 0, "segment 0: flags 0x5, pages [0x200000, +0x1000), bytes at +0x10, 0x1000 long"),
	E(load_low, 1, "app 1 'b': segment 0: [0x100000, 0x101000) lies outside the app's image area [0x200000, 0x3ef000)"),
	E(load_wrap, 1, "segment 1: [0x201000, 0x200000) lies outside the app's image area"),
	E(load_high, 0, "segment 1: [0x3ef000, 0x3f1000) lies outside the app's image area [0x200000, 0x3ef000)"),
	E(load_bytes_out, 0, "app 0 'a': segment 1: bytes [0x2000, +0x1000) lie outside the image blob (0x2000 bytes)"),
	E(load_bytes_long, 1, "segment 1: bytes [0x1000, +0x2000) lie outside the image blob"),
	E(load_bytes_off_wrap, 1, "segment 0: bytes [0xffffffffffffffff, +0x1000) lie outside the image blob"),
	E(image_short, 0, "segment 1: bytes [0x1000, +0x1000) lie outside the image blob (0x1fff bytes)"),
	E(load_overlap, 0, "app 0 'a': segment 1: [0x200000, 0x202000) overlaps segment 0's pages"),
	E(load_entry, 0, "app 0 'a': entry point 0x201000 is not inside an executable segment"),
	E(load_entry_not_x, 1, "entry point 0x200000 is not inside an executable segment"),
	E(nports5, -1, "manifest has 5 ports, 3 segments, 3 vNICs (at most 4, 16, 64)"),
	E(nsegs17, -1, "manifest has 2 ports, 17 segments, 3 vNICs (at most 4, 16, 64)"),
	E(nvnics65, -1, "manifest has 2 ports, 3 segments, 65 vNICs"),
	E(nvnics_huge, -1, "manifest has 2 ports, 3 segments, 4294967295 vNICs"),
	E(hreserved0, -1, "manifest reserved0 0x1 is not zero"),
	E(net_short, -1, "net blob is 575 bytes, not the 576 of 2 ports, 3 segments and 3 vNICs"),
	E(net_counts, -1, "net blob is 576 bytes, not the 456 of 2 ports, 3 segments and 2 vNICs"),
	E(net_empty_off, -1, "empty net blob with offset 0x"),
	E(net_absent, -1, "net blob is 0 bytes, not the 576"),
	E(net_misaligned, -1, "net blob [0x"),
	E(net_past_end, -1, "is misaligned or outside the manifest's blobs [0x430,"),
	E(net_in_records, -1, "net blob [0x8, +0x240) is misaligned or outside the manifest's blobs [0x430,"),
	E(net_off_wrap, -1, "net blob [0xfffffffffffffff8, +0x240) is misaligned or outside"),
	E(net_overlap, -1, "overlaps a blob of app 1 'b'"),
	E(port_name_empty, -1, "port 0: name is not 1-31 of [a-z0-9_-] padded with NULs"),
	E(port_name_tail, -1, "port 1: name is not"),
	E(port_name_dot, -1, "port 1: name is not"),
	E(port_name_dup, -1, "port 1 'wan': name is also port 0's"),
	E(port_driver0, -1, "port 0 'wan': unknown driver 0"),
	E(port_driver3, -1, "port 1 'lan': unknown driver 3"),
	E(port_index16, -1, "port 1 'lan': index 16 is above 15"),
	E(port_flags, -1, "port 0 'wan': flags or reserved fields are not zero"),
	E(port_reserved, -1, "port 1 'lan': flags or reserved fields are not zero"),
	E(port_same_nic, -1, "port 1 'lan': e1000 NIC 0 is also port 0's"),
	E(seg_name_upper, -1, "segment 0: name is not 1-31 of [a-z0-9_-] padded with NULs"),
	E(seg_name_full, -1, "segment 2: name is not"),
	E(seg_name_dup, -1, "segment 2 'inside': name is also segment 1's"),
	E(seg_port_range, -1, "segment 0 'outside': port 2 is neither one of the 2 ports nor internal"),
	E(seg_port_shared, -1, "segment 2 'dmz': port 0 is also bridged by segment 0"),
	E(seg_flags, -1, "segment 1 'inside': flags 0x4 are not zero"),
	E(vnic_app, -1, "vNIC 2: app 2 is not one of the 2 apps"),
	E(vnic_app_huge, -1, "vNIC 0: app 4294967295 is not one of the 2 apps"),
	E(vnic_name_empty, 0, "vNIC 0 of app 0 'a': name is not 1-31 of [a-z0-9_-] padded with NULs"),
	E(vnic_name_tail, 1, "vNIC 2 of app 1 'b': name is not"),
	E(vnic_name_dup, 0, "vNIC 1 'out' of app 0 'a': name is also vNIC 0's"),
	E(vnic_name_dup_moved, 0, "vNIC 2 'in' of app 0 'a': name is also vNIC 1's"),
	E(vnic_segment, 0, "vNIC 1 'in' of app 0 'a': segment 3 is not one of the 3 segments"),
	E(vnic_segment_internal, 0, "segment 4294967295 is not one of the 3 segments"),
	E(vnic_flags, 0, "vNIC 0 'out' of app 0 'a': unknown flags 0x8"),
	E(vnic_reserved0, 0, "vNIC 1 'in' of app 0 'a': reserved fields are not zero"),
	E(vnic_reserved1, 1, "vNIC 2 'in' of app 1 'b': reserved fields are not zero"),
	E(vnic_ip_mode, 0, "vNIC 1 'in' of app 0 'a': IP configuration: unknown IP mode or reserved bytes set"),
	E(vnic_ip_reserved, 0, "IP configuration: unknown IP mode or reserved bytes set"),
	E(vnic_ip_prefix0, 0, "IP configuration: prefix length outside 1..30"),
	E(vnic_ip_prefix31, 0, "IP configuration: prefix length outside 1..30"),
	E(vnic_ip_network, 0, "IP configuration: address is not a host address of its network"),
	E(vnic_ip_broadcast, 0, "IP configuration: address is not a host address of its network"),
	E(vnic_ip_loopback, 0, "IP configuration: address is not a host address of its network"),
	E(vnic_ip_multicast, 0, "IP configuration: address is not a host address of its network"),
	E(vnic_ip_gw_self, 0, "IP configuration: gateway is not another host of the address's network"),
	E(vnic_ip_gw_offnet, 0, "IP configuration: gateway is not another host of the address's network"),
	E(vnic_ip_dns_zero_net, 0, "IP configuration: DNS server is not a unicast address"),
	E(vnic_ip_dhcp_addr, 0, "vNIC 0 'out' of app 0 'a': IP configuration: address fields set without a static address"),
	E(vnic_ip_none_prefix, 1, "vNIC 2 'in' of app 1 'b': IP configuration: address fields set without a static address"),
	E(vnic_ip6_mode, 0, "vNIC 1 'in' of app 0 'a': IP configuration: unknown IPv6 mode or reserved bytes set"),
	E(vnic_ip6_reserved, 0, "IP configuration: unknown IPv6 mode or reserved bytes set"),
	E(vnic_ip6_prefix0, 0, "IP configuration: IPv6 prefix length outside 1..128"),
	E(vnic_ip6_prefix129, 0, "IP configuration: IPv6 prefix length outside 1..128"),
	E(vnic_ip6_multicast, 0, "IP configuration: IPv6 address is not a unicast host address outside fe80::/10"),
	E(vnic_ip6_link_local, 0, "IP configuration: IPv6 address is not a unicast host address outside fe80::/10"),
	E(vnic_ip6_unspecified, 0, "IP configuration: IPv6 address is not a unicast host address outside fe80::/10"),
	E(vnic_ip6_loopback, 0, "IP configuration: IPv6 address is not a unicast host address outside fe80::/10"),
	E(vnic_ip6_v4_mapped, 0, "IP configuration: IPv6 address is not a unicast host address outside fe80::/10"),
	E(vnic_ip6_anycast, 0, "IP configuration: IPv6 address is not a unicast host address outside fe80::/10"),
	E(vnic_ip6_gw_self, 0, "IP configuration: IPv6 gateway is neither link-local nor another address of the prefix"),
	E(vnic_ip6_gw_offnet, 0, "IP configuration: IPv6 gateway is neither link-local nor another address of the prefix"),
	E(vnic_ip6_gw_multicast, 0, "IP configuration: IPv6 gateway is neither link-local nor another address of the prefix"),
	E(vnic_ip6_ll_addr, 0, "vNIC 0 'out' of app 0 'a': IP configuration: IPv6 address set with link-local only"),
	E(vnic_ip6_ll_prefix, 0, "vNIC 0 'out' of app 0 'a': IP configuration: IPv6 address set with link-local only"),
	E(vnic_ip6_ll_gw_global, 0, "vNIC 0 'out' of app 0 'a': IP configuration: IPv6 gateway is not a link-local unicast address"),
	E(vnic_ip6_none_fields, 1, "vNIC 2 'in' of app 1 'b': IP configuration: IPv6 fields set without IPv6"),
	E(vnic_ip6_none_gw, 1, "vNIC 2 'in' of app 1 'b': IP configuration: IPv6 fields set without IPv6"),
	E(vnic_ip6_ungranted, 1, "vNIC 2 'in' of app 1 'b': IP configuration: IPv6 on a vNIC the app is not granted"),
	E(vnic_mac_multicast, 0, "vNIC 0 'out' of app 0 'a': MAC 03:00:00:00:00:01 is multicast or zero"),
	E(vnic_mac_broadcast, 0, "MAC ff:ff:ff:ff:ff:ff is multicast or zero"),
	E(vnic_mac_zero, 1, "vNIC 2 'in' of app 1 'b': MAC 00:00:00:00:00:00 is multicast or zero"),
	E(vnic_mac_dup, 1, "vNIC 2 'in' of app 1 'b': MAC 02:00:00:00:00:01 is also vNIC 0's"),
	E(vnic_queue0, 0, "vNIC 0 'out' of app 0 'a': queue 0 is outside 1..1024"),
	E(vnic_queue_big, 1, "queue 1025 is outside 1..1024"),
	E(vnic_too_many, 0, "vNIC 8 'v8' of app 0 'a': the app has more than 8 vNICs"),
	E(grant_net_unused, 1, "app 1 'b': grants has net but none of its vNICs is granted"),
	E(grant_net_missing, 0, "app 0 'a': vNIC 0 'out' is granted but the app's grants lack net"),
	E(grant_net_ungranted, 0, "app 0 'a': grants has net but none of its vNICs is granted"),
	E(grant_net_other_app, 1, "app 1 'b': vNIC 2 'in' is granted but the app's grants lack net"),
};

TEST(every_field_corrupted)
{
	CHECK(sizeof(corrupt) / sizeof(corrupt[0]) >= 115);
	for (size_t i = 0; i < sizeof(corrupt) / sizeof(corrupt[0]); i++) {
		build();
		corrupt[i].fn();
		int r = check();
		if (r != -UV_EINVAL || e.app != corrupt[i].app || !strstr(e.msg, corrupt[i].msg)) {
			char m[600];
			snprintf(m, sizeof(m), "%s: returned %d, app %d (want %d), message \"%s\" (want \"%s\")",
				 corrupt[i].what, r, e.app, corrupt[i].app, e.msg, corrupt[i].msg);
			unit_fail(__FILE__, __LINE__, m);
			return;
		}
	}
}

TEST(short_and_misaligned)
{
	build();
	CHECK_EQ(manifest_check(buf, 10, &e), -UV_EINVAL);
	CHECK_STR(e.msg, "manifest is 10 bytes, shorter than its header");
	CHECK_EQ(manifest_check(buf, 0, &e), -UV_EINVAL);
	memmove(buf + 4, buf, total);
	CHECK_EQ(manifest_check(buf + 4, total, &e), -UV_EINVAL);
	CHECK(strstr(e.msg, "is not 8-byte aligned") != NULL);
}

/* Every truncation fails; every single-byte change either fails cleanly or still passes (ASan/UBSan watch). */
TEST(truncations_and_bit_flips)
{
	build();
	for (size_t n = 0; n < total; n++) {
		if (manifest_check(buf, n, &e) != -UV_EINVAL) {
			char m[64];
			snprintf(m, sizeof(m), "truncated to %zu bytes and accepted", n);
			unit_fail(__FILE__, __LINE__, m);
			return;
		}
	}
	size_t passed = 0;
	for (size_t i = 0; i < total; i++) {
		for (int bit = 0; bit < 8; bit += 3) {
			build();
			buf[i] ^= (uint8_t)(1u << bit);
			int r = check();
			CHECK(r == 0 || r == -UV_EINVAL);
			CHECK(r == 0 || e.msg[0]);
			passed += r == 0;
		}
	}
	/* Flips in padding, segment bytes and symbol sizes are harmless; most flips are not. */
	CHECK(passed < total * 3);
}
