/* tests/unit/test_mkimage.c: mkimage's parser and checks: good configs, and a table of bad configs and broken ELFs with their file:line messages. */
#include <errno.h>
#include <stdlib.h>
#include "tests/unit/unit.h"
#include "tests/unit/elfgen.h"
#include "tests/unit/mkimage_fix.h"
#include "tools/mkimage/build.h"
#include "tools/mkimage/config.h"
#include "tools/mkimage/elfsym.h"
#include "tools/mkimage/elf64.h"
#include "kernel/app/manifest.h"
#include "include/abi/uv_hypercall.h"

/* Lines 1-6; line 7 onwards comes from each case. */
#define HEAD "[appliance]\nname = t\n\n[app a]\nelf = a.elf\nmemory = 4M\n"

/* ELF mutations: on the generator's description, or on the built bytes. */
static void m_machine(struct gen_elf *g) { g->machine = 183; }
static void m_pie(struct gen_elf *g) { g->type = ET_DYN; }
static void m_class32(struct gen_elf *g) { g->cls = 1; }
static void m_bigendian(struct gen_elf *g) { g->data = 2; }
static void m_interp(struct gen_elf *g) { g->segs[g->n_segs++] = (struct gen_seg){ PT_INTERP, 4, 0x202000, 0x10, 0x10 }; }
static void m_dynamic(struct gen_elf *g) { g->segs[g->n_segs++] = (struct gen_seg){ PT_DYNAMIC, 6, 0x202000, 0x10, 0x10 }; }
static void m_tls(struct gen_elf *g) { g->segs[g->n_segs++] = (struct gen_seg){ PT_TLS, 4, 0x202000, 0x10, 0x10 }; }
static void m_overlap(struct gen_elf *g) { g->segs[1].vaddr = 0x200800; }
static void m_low(struct gen_elf *g) { g->segs[1].vaddr = 0x100000; }
static void m_wrap(struct gen_elf *g) { g->segs[1].vaddr = 0xfffffffffffff000ull; }
static void m_huge(struct gen_elf *g) { g->segs[1].memsz = 0x200000000ull; }
static void m_entry_data(struct gen_elf *g) { g->entry = 0x201000; }
static void m_entry_none(struct gen_elf *g) { g->entry = 0x7000000; }
static void m_filesz(struct gen_elf *g) { g->segs[1].filesz = 0x3000; }
static void m_no_load(struct gen_elf *g) { g->segs[0].type = g->segs[1].type = 6 /* PT_PHDR */; }
static void m_many(struct gen_elf *g)
{
	for (unsigned i = 2; i < 10; i++)
		g->segs[g->n_segs++] = (struct gen_seg){ PT_LOAD, 4, 0x200000 + 0x1000 * (i + 1), 0x1000, 0 };
}
static void m_stripped(struct gen_elf *g) { g->no_sections = 1; }
static void m_big(struct gen_elf *g) { g->segs[1].memsz = 0x500000; }
static void m_stub_random(struct gen_elf *g) { gen_add_sym(g, "uv_hc_random", 0x200100, 8, STT_FUNC); }
static void m_stub_console_notype(struct gen_elf *g) { gen_add_sym(g, "uv_hc_console_write", 0x200100, 0, 0); }
static void m_stub_clock(struct gen_elf *g) { gen_add_sym(g, "uv_hc_clock_wall", 0x200100, 8, STT_FUNC); }
static void m_stub_net(struct gen_elf *g) { gen_add_sym(g, "uv_hc_net_read", 0x200100, 8, STT_FUNC); }

static void b_truncate_header(uint8_t *b, size_t *len) { (void)b; *len = 10; }
static void b_truncate_data(uint8_t *b, size_t *len) { (void)b; *len = 0x2800; }
static void b_magic(uint8_t *b, size_t *len) { (void)len; b[1] = 'F'; }
static void b_phoff(uint8_t *b, size_t *len) { (void)len; uint64_t v = 0xfffffffffffffff0ull; memcpy(b + GEN_OFF_PHOFF, &v, 8); }
static void b_phnum0(uint8_t *b, size_t *len) { (void)len; b[GEN_OFF_PHNUM] = 0; }
static void b_shoff(uint8_t *b, size_t *len) { (void)len; uint64_t v = 0x7fffffffffffull; memcpy(b + GEN_OFF_SHOFF, &v, 8); }
static void b_empty(uint8_t *b, size_t *len) { (void)b; *len = 0; }
static void b_symtab_out(uint8_t *b, size_t *len)
{
	struct elf64_ehdr eh;
	memcpy(&eh, b, sizeof(eh));
	uint64_t off = 0x100000; /* .symtab's sh_offset far past the end */
	memcpy(b + eh.shoff + 64 + 24, &off, 8);
	(void)len;
}

struct bad {
	const char *conf;
	void (*gen)(struct gen_elf *);
	void (*bytes)(uint8_t *, size_t *);
	const char *want; /* the whole message, or its start when it ends in "..." */
};

#define LONG_NAME "abcdefghijklmnopqrstuvwxyz012345" /* 32 characters */
/* HEAD with a vNIC n0 on line 7; the network cases go on from line 8. */
#define NIC7 HEAD "nic = n0 segment=lan\n"
/* Lines 8-9: n0 granted, segment lan (internal). */
#define LAN8 "grants = net:n0\n[segment lan]\n"
/* Line 7: app a's ninth vNIC (eight on one line each would be lines 7-14). */
#define NICS8 HEAD "nic = n0 segment=lan\nnic = n1 segment=lan\nnic = n2 segment=lan\nnic = n3 segment=lan\n" \
	"nic = n4 segment=lan\nnic = n5 segment=lan\nnic = n6 segment=lan\nnic = n7 segment=lan\n"

static const struct bad bad[] = {
	/* Syntax and structure. */
	{ "name = t\n", 0, 0, "t.conf:1: 'name' outside a section: start with [appliance]" },
	{ "[appliance]\nname = t\nfoo = 1\n", 0, 0, "t.conf:3: unknown key 'foo' in [appliance] (known: name, hv)" },
	{ "[appliance]\nname = t\nhv = intel\n", 0, 0, "t.conf:3: bad hv 'intel': use both (the default: one image for Intel and AMD), vmx (Intel VT-x only) or svm (AMD-V only)" },
	{ "[appliance]\nname = t\nhv = vmx svm\n", 0, 0, "t.conf:3: 'hv' takes one value, got 2" },
	{ "[appliance]\nhv = vmx\nname = t\nhv = svm\n", 0, 0, "t.conf:4: duplicate key 'hv' in [appliance] (first set at line 2)" },
	{ HEAD "memroy = 8M\n", 0, 0, "t.conf:7: unknown key 'memroy' in [app a] (known: elf memory stack args grants restart restart_limit restart_backoff exceptions nic)" },
	{ HEAD "[apps b]\n", 0, 0, "t.conf:7: unknown section [apps b] (expected [appliance], [app NAME], [port NAME], [segment NAME], [channel NAME] or [policy])" },
	{ HEAD "[app b\n", 0, 0, "t.conf:7: a section header must end with ']'" },
	{ HEAD "[app b] x\n", 0, 0, "t.conf:7: a section header must end with ']'" },
	{ HEAD "[app]\n", 0, 0, "t.conf:7: [app] needs a name: [app NAME]" },
	{ HEAD "[ ]\n", 0, 0, "t.conf:7: unknown section [ ] (expected [appliance], [app NAME], [port NAME], [segment NAME], [channel NAME] or [policy])" },
	{ HEAD "[app b c]\n", 0, 0, "t.conf:7: unknown section [app b c] (expected [appliance], [app NAME], [port NAME], [segment NAME], [channel NAME] or [policy])" },
	{ HEAD "[appliance]\n", 0, 0, "t.conf:7: duplicate [appliance] section (first at line 1)" },
	{ HEAD "[app a]\nelf = a.elf\nmemory = 4M\n", 0, 0, "t.conf:7: duplicate app 'a' (first at line 4)" },
	{ HEAD "memory = 8M\n", 0, 0, "t.conf:7: duplicate key 'memory' in [app a] (first set at line 6)" },
	{ "[appliance]\nname = t\nname = u\n", 0, 0, "t.conf:3: duplicate key 'name' in [appliance] (first set at line 2)" },
	{ "[appliance]\nname = t\n[app a]\nmemory = 4M\n", 0, 0, "t.conf:3: app 'a' has no 'elf' (the app's ELF file)" },
	{ "[appliance]\nname = t\n[app a]\nelf = a.elf\n[app b]\nelf = a.elf\nmemory = 4M\n", 0, 0, "t.conf:3: app 'a' has no 'memory' (e.g. memory = 8M)" },
	{ "[appliance]\n[app a]\nelf = a.elf\nmemory = 4M\n", 0, 0, "t.conf:1: [appliance] has no 'name'" },
	{ "# nothing\n", 0, 0, "t.conf:1: no [appliance] section" },
	{ "[appliance]\nname = t\n", 0, 0, "t.conf:1: the appliance has no apps: add an [app NAME] section" },
	{ HEAD "just words\n", 0, 0, "t.conf:7: expected 'key = value' or a [section]" },
	{ HEAD "Stack = 8K\n", 0, 0, "t.conf:7: bad key 'Stack': keys are lower-case letters and '_'" },
	{ HEAD " = 8K\n", 0, 0, "t.conf:7: missing key before '='" },
	{ HEAD "args = \"one two\n", 0, 0, "t.conf:7: 'args': unterminated double quote" },
	{ HEAD "args = 'one two\n", 0, 0, "t.conf:7: 'args': unterminated single quote" },
	{ HEAD "args = \"it's\n", 0, 0, "t.conf:7: 'args': unterminated double quote" },
	{ HEAD "args = x \\\n", 0, 0, "t.conf:7: 'args': backslash at the end of the line" },
	{ "[appliance]\nname = t\n\n[app a]\nelf = a.elf b.elf\nmemory = 4M\n", 0, 0, "t.conf:5: 'elf' takes one value, got 2" },
	{ "[appliance]\nname = t\n\n[app a]\nelf =\nmemory = 4M\n", 0, 0, "t.conf:5: 'elf' takes one value, got 0" },
	/* Names. */
	{ "[appliance]\nname = t\n[app Hello]\n", 0, 0, "t.conf:3: bad app name 'Hello': use 1-31 of a-z 0-9 _ -" },
	{ "[appliance]\nname = t\n[app " LONG_NAME "]\n", 0, 0, "t.conf:3: bad app name '" LONG_NAME "': use 1-31 of a-z 0-9 _ -" },
	{ "[appliance]\nname = " LONG_NAME "\n", 0, 0, "t.conf:2: 'name' value is too long (at most 31 bytes)" },
	{ "[appliance]\nname = my.box\n", 0, 0, "t.conf:2: bad appliance name 'my.box': use 1-31 of a-z 0-9 _ -" },
	/* Sizes and numbers. */
	{ "[appliance]\nname = t\n\n[app a]\nelf = a.elf\nmemory = 4098K\n", 0, 0, "t.conf:6: memory '4098K' is not a multiple of 4 KiB" },
	{ "[appliance]\nname = t\n\n[app a]\nelf = a.elf\nmemory = 1M\n", 0, 0, "t.conf:6: memory 1024K is below the minimum 4096K" },
	{ "[appliance]\nname = t\n\n[app a]\nelf = a.elf\nmemory = 8G\n", 0, 0, "t.conf:6: memory 8388608K is above the maximum 4194304K" },
	{ "[appliance]\nname = t\n\n[app a]\nelf = a.elf\nmemory = 99999999999999999999\n", 0, 0, "t.conf:6: memory '99999999999999999999' is too large" },
	{ "[appliance]\nname = t\n\n[app a]\nelf = a.elf\nmemory = 17179869184G\n", 0, 0, "t.conf:6: memory '17179869184G' is too large" },
	{ "[appliance]\nname = t\n\n[app a]\nelf = a.elf\nmemory = 4MB\n", 0, 0, "t.conf:6: bad memory '4MB': expected a number of bytes with an optional K, M or G suffix" },
	{ "[appliance]\nname = t\n\n[app a]\nelf = a.elf\nmemory = -4M\n", 0, 0, "t.conf:6: bad memory '-4M': expected..." },
	{ "[appliance]\nname = t\n\n[app a]\nelf = a.elf\nmemory = 0x400000\n", 0, 0, "t.conf:6: bad memory '0x400000': expected..." },
	{ HEAD "stack = 100\n", 0, 0, "t.conf:7: stack '100' is not a multiple of 4 KiB" },
	{ HEAD "stack = 0\n", 0, 0, "t.conf:7: stack must not be 0" },
	{ HEAD "stack = 4M\n", 0, 0, "t.conf:7: app 'a': a 4096K stack leaves no room for the image in 4096K of memory" },
	{ HEAD "stack = 2044K\n", 0, 0, "t.conf:7: app 'a': a 2044K stack leaves no room for the image in 4096K of memory" },
	/* Grants, restart policy, exceptions, args. */
	{ HEAD "grants = console disk\n", 0, 0, "t.conf:7: unknown grant 'disk' (known: console clock random net:NIC chan:CHANNEL)" },
	{ HEAD "grants = console console\n", 0, 0, "t.conf:7: grant 'console' is listed twice" },
	{ HEAD "grants = chan:log\n", 0, 0, "t.conf:7: grant 'chan:log' of app 'a': there is no channel 'log'" },
	{ HEAD "restart = sometimes\n", 0, 0, "t.conf:7: bad restart 'sometimes': expected never, always or on-failure" },
	{ HEAD "restart_limit = 3\n", 0, 0, "t.conf:7: app 'a': restart_limit needs restart = always or on-failure" },
	{ HEAD "restart = always\nrestart_limit = 1001\n", 0, 0, "t.conf:8: restart_limit '1001' is too large (at most 1000)" },
	{ HEAD "restart = always\nrestart_limit = 3x\n", 0, 0, "t.conf:8: bad restart_limit '3x': expected a decimal number" },
	{ HEAD "restart_backoff = 100\n", 0, 0, "t.conf:7: bad restart_backoff '100': expected a number with an ms or s suffix" },
	{ HEAD "restart_backoff = 5m\n", 0, 0, "t.conf:7: bad restart_backoff '5m': expected a number with an ms or s suffix" },
	{ HEAD "restart_backoff = 3601s\n", 0, 0, "t.conf:7: restart_backoff '3601s' is too long (at most 3600s)" },
	{ HEAD "exceptions = ignore\n", 0, 0, "t.conf:7: bad exceptions 'ignore': expected intercept or guest" },
	/* ELFs (line 5 is elf =, line 6 memory =, line 7 grants =). */
	{ "[appliance]\nname = t\n\n[app a]\nelf = missing.elf\nmemory = 4M\n", 0, 0, "t.conf:5: app 'a': cannot read ELF 'missing.elf': No such file or directory" },
	{ HEAD, 0, b_empty, "t.conf:5: app 'a': a.elf: not an ELF file (0 bytes, shorter than an ELF header)" },
	{ HEAD, 0, b_truncate_header, "t.conf:5: app 'a': a.elf: not an ELF file (10 bytes, shorter than an ELF header)" },
	{ HEAD, 0, b_truncate_data, "t.conf:5: app 'a': a.elf: segment 1: file bytes [0x2000, +0x1000) lie outside the file (10240 bytes)" },
	{ HEAD, 0, b_magic, "t.conf:5: app 'a': a.elf: not an ELF file (bad magic)" },
	{ HEAD, m_class32, 0, "t.conf:5: app 'a': a.elf: not a 64-bit little-endian ELF" },
	{ HEAD, m_bigendian, 0, "t.conf:5: app 'a': a.elf: not a 64-bit little-endian ELF" },
	{ HEAD, m_machine, 0, "t.conf:5: app 'a': a.elf: ELF machine is 183, not x86-64" },
	{ HEAD, m_pie, 0, "t.conf:5: app 'a': a.elf: ELF type 3 is not a static executable (ET_EXEC); PIE and shared objects are refused" },
	{ HEAD, m_interp, 0, "t.conf:5: app 'a': a.elf: ELF is dynamically linked (has PT_INTERP); link it -static" },
	{ HEAD, m_dynamic, 0, "t.conf:5: app 'a': a.elf: ELF is dynamically linked (has PT_DYNAMIC); link it -static" },
	{ HEAD, m_tls, 0, "t.conf:5: app 'a': a.elf: ELF uses thread-local storage (PT_TLS), which apps cannot have" },
	{ HEAD, 0, b_phoff, "t.conf:5: app 'a': a.elf: ELF program headers lie outside the file" },
	{ HEAD, 0, b_phnum0, "t.conf:5: app 'a': a.elf: ELF has 0 program headers" },
	{ HEAD, m_no_load, 0, "t.conf:5: app 'a': a.elf: ELF has no loadable segments" },
	{ HEAD, m_many, 0, "t.conf:5: app 'a': a.elf: ELF has more than 8 loadable segments" },
	{ HEAD, m_overlap, 0, "t.conf:5: app 'a': a.elf: segment 1: [0x200000, 0x203000) overlaps another segment's pages [0x200000, 0x201000)" },
	{ HEAD, m_low, 0, "t.conf:5: app 'a': a.elf: segment 1: [0x100000, 0x102000) lies outside the app's image area [0x200000, 0x100000000)" },
	{ HEAD, m_wrap, 0, "t.conf:5: app 'a': a.elf: segment 1: address range wraps around" },
	{ HEAD, m_huge, 0, "t.conf:5: app 'a': a.elf: segment 1: [0x201000, 0x200201000) lies outside the app's image area [0x200000, 0x100000000)" },
	{ HEAD, m_filesz, 0, "t.conf:5: app 'a': a.elf: segment 1: file size 0x3000 exceeds memory size 0x2000" },
	{ HEAD, m_entry_data, 0, "t.conf:5: app 'a': a.elf: entry point 0x201000 is not inside an executable segment" },
	{ HEAD, m_entry_none, 0, "t.conf:5: app 'a': a.elf: entry point 0x7000000 is not inside an executable segment" },
	{ HEAD, m_stripped, 0, "t.conf:5: app 'a': a.elf: has no section headers, so no symbol table (do not strip app ELFs)" },
	{ HEAD, 0, b_shoff, "t.conf:5: app 'a': a.elf: section headers lie outside the file or have size 64" },
	{ HEAD, 0, b_symtab_out, "t.conf:5: app 'a': a.elf: symbol table [0x100000, +0x48) lies outside the file or has entries of 24 bytes" },
	{ HEAD, m_big, 0, "t.conf:6: app 'a': memory 4096K is too small: the ELF spans [0x200000, 0x701000), which with the 256K stack and its guard page needs at least 7432K" },
	{ HEAD "stack = 1M\n", m_big, 0, "t.conf:6: app 'a': memory 4096K is too small: the ELF spans [0x200000, 0x701000), which with the 1024K stack and its guard page needs at least 8200K" },
	/* Grant stubs. */
	{ HEAD "grants = console clock\n", m_stub_random, 0, "t.conf:7: app 'a' contains the random stub but is not granted 'random'" },
	{ HEAD, m_stub_random, 0, "t.conf:4: app 'a' contains the random stub but is not granted 'random'" },
	{ HEAD "grants = clock\n", m_stub_console_notype, 0, "t.conf:7: app 'a' contains the console_write stub but is not granted 'console'" },
	{ HEAD "grants = console random\n", m_stub_clock, 0, "t.conf:7: app 'a' contains the clock_wall stub but is not granted 'clock'" },
	/* The network: sections. */
	{ NIC7 LAN8 "[port wan]\ndriver = e1000\n[segment out]\nport = wan\n", 0, 0,
	  "t.conf:12: segment 'out' is not used: no app has a nic on it" },
	{ NIC7 LAN8 "port = wan\n[port wan]\ndriver = rtl8139\n", 0, 0, "t.conf:12: unknown driver 'rtl8139' (known: e1000 virtio-net)" },
	{ NIC7 LAN8 "port = wan\n[port wan]\ndriver = e1000 virtio-net\n", 0, 0, "t.conf:12: 'driver' takes one value, got 2" },
	{ NIC7 LAN8 "port = wan\n[port wan]\ndriver = e1000\nspeed = 1000\n", 0, 0, "t.conf:13: unknown key 'speed' in [port wan] (known: driver index hostfwd)" },
	{ NIC7 LAN8 "vlan = 3\n", 0, 0, "t.conf:10: unknown key 'vlan' in [segment lan] (known: port)" },
	{ NIC7 LAN8 "nic = n1 segment=lan\n", 0, 0, "t.conf:10: unknown key 'nic' in [segment lan] (known: port)" },
	{ HEAD "driver = e1000\n", 0, 0, "t.conf:7: unknown key 'driver' in [app a] (known: elf memory stack args grants restart restart_limit restart_backoff exceptions nic)" },
	{ NIC7 LAN8 "port = wan\n[port wan]\ndriver = e1000\nindex = 16\n", 0, 0, "t.conf:13: port index '16' is out of range (0..15)" },
	{ NIC7 LAN8 "port = wan\n[port wan]\ndriver = e1000\nhostfwd = tcp:8080\n", 0, 0, "t.conf:13: [port wan]: bad hostfwd rule 'tcp:8080': expected tcp:HOSTPORT-GUESTPORT, udp:..., or tcp:HOSTPORT-A.B.C.D:GUESTPORT with ports 1-65535" },
	{ NIC7 LAN8 "port = wan\n[port wan]\ndriver = e1000\nhostfwd = sctp:1-2\n", 0, 0, "t.conf:13: [port wan]: bad hostfwd rule 'sctp:1-2': expected tcp:HOSTPORT-GUESTPORT, udp:..., or tcp:HOSTPORT-A.B.C.D:GUESTPORT with ports 1-65535" },
	{ NIC7 LAN8 "port = wan\n[port wan]\ndriver = e1000\nhostfwd = tcp:0-80\n", 0, 0, "t.conf:13: [port wan]: bad hostfwd rule 'tcp:0-80': expected tcp:HOSTPORT-GUESTPORT, udp:..., or tcp:HOSTPORT-A.B.C.D:GUESTPORT with ports 1-65535" },
	{ NIC7 LAN8 "port = wan\n[port wan]\ndriver = e1000\nhostfwd = tcp:8080-65536\n", 0, 0, "t.conf:13: [port wan]: bad hostfwd rule 'tcp:8080-65536': expected tcp:HOSTPORT-GUESTPORT, udp:..., or tcp:HOSTPORT-A.B.C.D:GUESTPORT with ports 1-65535" },
	{ NIC7 LAN8 "port = wan\n[port wan]\ndriver = e1000\nhostfwd = tcp:8080-10.0.2.300:80\n", 0, 0, "t.conf:13: [port wan]: bad hostfwd rule 'tcp:8080-10.0.2.300:80': expected tcp:HOSTPORT-GUESTPORT, udp:..., or tcp:HOSTPORT-A.B.C.D:GUESTPORT with ports 1-65535" },
	{ NIC7 LAN8 "port = wan\n[port wan]\ndriver = e1000\nhostfwd = tcp:8080-80 udp:53-53x\n", 0, 0, "t.conf:13: [port wan]: bad hostfwd rule 'udp:53-53x': expected tcp:HOSTPORT-GUESTPORT, udp:..., or tcp:HOSTPORT-A.B.C.D:GUESTPORT with ports 1-65535" },
	{ NIC7 LAN8 "port = wan\n[port wan]\ndriver = e1000\nhostfwd =\n", 0, 0, "t.conf:13: 'hostfwd' needs a rule: hostfwd = tcp:8080-80 (host port 8080 to guest port 80)" },
	{ NIC7 LAN8 "port = wan\n[port wan]\ndriver = e1000\nhostfwd = tcp:1-2\nhostfwd = tcp:3-4\n", 0, 0, "t.conf:14: duplicate key 'hostfwd' in [port wan] (first set at line 13)" },
	{ NIC7 LAN8 "port = wan\n[port wan]\ndriver = e1000\nindex = 99999999999999999999999\n", 0, 0, "t.conf:13: port index '99999999999999999999999' is out of range (0..15)" },
	{ NIC7 LAN8 "port = wan\n[port wan]\ndriver = e1000\nindex = -1\n", 0, 0, "t.conf:13: bad index '-1': expected a decimal number" },
	{ NIC7 LAN8 "port = wan\n[port wan]\ndriver = e1000\nindex = 1x\n", 0, 0, "t.conf:13: bad index '1x': expected a decimal number" },
	{ NIC7 LAN8 "port = wan\n[port wan]\nindex = 1\n[app b]\n", 0, 0, "t.conf:11: port 'wan' has no 'driver' (e1000 or virtio-net)" },
	{ NIC7 LAN8 "port = wan\n[port wan]\n", 0, 0, "t.conf:11: port 'wan' has no 'driver' (e1000 or virtio-net)" },
	{ NIC7 LAN8 "port = wan\n[port wan]\ndriver = e1000\ndriver = e1000\n", 0, 0, "t.conf:13: duplicate key 'driver' in [port wan] (first set at line 12)" },
	{ NIC7 LAN8 "port = wan\nport = wan\n", 0, 0, "t.conf:11: duplicate key 'port' in [segment lan] (first set at line 10)" },
	{ NIC7 LAN8 "[port wan]\ndriver = e1000\n[port wan]\n", 0, 0, "t.conf:12: duplicate port 'wan' (first at line 10)" },
	{ NIC7 LAN8 "[segment lan]\n", 0, 0, "t.conf:10: duplicate segment 'lan' (first at line 9)" },
	{ NIC7 LAN8 "[port]\n", 0, 0, "t.conf:10: [port] needs a name: [port NAME]" },
	{ NIC7 LAN8 "[segment]\n", 0, 0, "t.conf:10: [segment] needs a name: [segment NAME]" },
	{ NIC7 LAN8 "[port WAN]\n", 0, 0, "t.conf:10: bad port name 'WAN': use 1-31 of a-z 0-9 _ -" },
	{ NIC7 LAN8 "[segment " LONG_NAME "]\n", 0, 0, "t.conf:10: bad segment name '" LONG_NAME "': use 1-31 of a-z 0-9 _ -" },
	{ NIC7 LAN8 "[port a b]\n", 0, 0, "t.conf:10: unknown section [port a b] (expected [appliance], [app NAME], [port NAME], [segment NAME], [channel NAME] or [policy])" },
	{ NIC7 LAN8 "port = wan\n", 0, 0, "t.conf:10: segment 'lan': unknown port 'wan'" },
	{ NIC7 LAN8 "port = wan\n[segment b]\nport = wan\n[port wan]\ndriver = e1000\n", 0, 0,
	  "t.conf:12: segment 'b': port 'wan' is already bridged by segment 'lan' (line 9); a port bridges one segment" },
	{ NIC7 LAN8 "[port wan]\ndriver = virtio-net\n", 0, 0, "t.conf:10: port 'wan' is not used: no segment has port = wan" },
	{ NIC7 LAN8 "port = wan\n[port wan]\ndriver = e1000\n[segment b]\nport = lan2\n[port lan2]\ndriver = e1000\nindex = 0\n", 0, 0,
	  "t.conf:17: port 'lan2' is the same NIC as port 'wan' (line 11): e1000 index 0" },
	{ NIC7 LAN8 "[port p1]\n[port p2]\n[port p3]\n[port p4]\n[port p5]\n", 0, 0, "t.conf:10: port 'p1' has no 'driver' (e1000 or virtio-net)" },
	{ NIC7 LAN8 "[port p1]\ndriver=e1000\n[port p2]\ndriver=e1000\n[port p3]\ndriver=e1000\n[port p4]\ndriver=e1000\n[port p5]\n", 0, 0,
	  "t.conf:18: too many ports (at most 4)" },
	/* The network: vNICs. */
	{ HEAD "nic = n0\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a' has no segment=NAME (every vNIC is on a segment)" },
	{ HEAD "nic = n0 segment=wan\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': unknown segment 'wan'" },
	{ HEAD "nic = n0 segment=\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': option 'segment' needs a value: segment=..." },
	{ HEAD "nic = n0 segment=Lan\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': bad segment name 'Lan'" },
	{ HEAD "nic = n0 segment=lan segment=lan\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': option 'segment' given twice" },
	{ HEAD "nic =\n" LAN8, 0, 0, "t.conf:7: 'nic' needs a vNIC: nic = NAME segment=SEGMENT [mac=..] [queue=N] [promisc] [any-src]" },
	{ HEAD "nic = segment=lan\n" LAN8, 0, 0, "t.conf:7: bad vNIC name 'segment=lan': use 1-31 of a-z 0-9 _ - (a nic line starts with the name)" },
	{ HEAD "nic = N0 segment=lan\n" LAN8, 0, 0, "t.conf:7: bad vNIC name 'N0': use 1-31 of a-z 0-9 _ - (a nic line starts with the name)" },
	{ NIC7 "nic = n0 segment=lan\n" LAN8, 0, 0, "t.conf:8: duplicate vNIC 'n0' in app 'a' (first at line 7)" },
	{ HEAD "nic = n0 segment=lan fast\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': unknown option 'fast' (known: segment= mac= queue= promisc any-src ip= gw= dns= dhcp ip6= gw6=)" },
	{ HEAD "nic = n0 segment=lan promiscuous\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': unknown option 'promiscuous' (known: segment= mac= queue= promisc any-src ip= gw= dns= dhcp ip6= gw6=)" },
	{ HEAD "nic = n0 segment=lan promisc=1\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': option 'promisc' takes no value" },
	{ HEAD "nic = n0 segment=lan any-src any-src\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': option 'any-src' given twice" },
	{ HEAD "nic = n0 segment=lan ip=10.0.2.15\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': bad ip '10.0.2.15': expected ADDRESS/PREFIX like 10.0.2.15/24" },
	{ HEAD "nic = n0 segment=lan ip=10.0.2/24\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': bad ip '10.0.2/24': expected an IPv4 address like 10.0.2.15/24" },
	{ HEAD "nic = n0 segment=lan ip=10.0.2.256/24\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': bad ip '10.0.2.256/24': expected an IPv4 address like 10.0.2.15/24" },
	{ HEAD "nic = n0 segment=lan ip=10.0.2.015/24\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': bad ip '10.0.2.015/24': expected an IPv4 address like 10.0.2.15/24" },
	{ HEAD "nic = n0 segment=lan ip=10.0.2.15/24x\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': bad ip '10.0.2.15/24x': expected ADDRESS/PREFIX like 10.0.2.15/24" },
	{ HEAD "nic = n0 segment=lan ip=10.0.2.15/31\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': ip '10.0.2.15/31': prefix length outside 1..30" },
	{ HEAD "nic = n0 segment=lan ip=10.0.2.15/0\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': ip '10.0.2.15/0': prefix length outside 1..30" },
	{ HEAD "nic = n0 segment=lan ip=10.0.2.15/99999999999999999999\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': ip '10.0.2.15/99999999999999999999': prefix length outside 1..30" },
	{ HEAD "nic = n0 segment=lan ip=127.0.0.2/8\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': ip '127.0.0.2/8' is a loopback address (127.0.0.0/8)" },
	{ HEAD "nic = n0 segment=lan ip=0.1.2.3/8\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': ip '0.1.2.3/8' is in 0.0.0.0/8 (this network)" },
	{ HEAD "nic = n0 segment=lan ip=224.0.0.5/24\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': ip '224.0.0.5/24' is multicast or reserved (224.0.0.0 and up)" },
	{ HEAD "nic = n0 segment=lan ip=10.0.2.0/24\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': ip 10.0.2.0/24 is the network address of its network, not a host's" },
	{ HEAD "nic = n0 segment=lan ip=10.0.2.255/24\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': ip 10.0.2.255/24 is the broadcast address of its network, not a host's" },
	{ HEAD "nic = n0 segment=lan ip=10.0.2.15/24 gw=10.0.3.1\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': gw 10.0.3.1 is not another host of 10.0.2.15/24" },
	{ HEAD "nic = n0 segment=lan ip=10.0.2.15/24 gw=10.0.2.15\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': gw 10.0.2.15 is not another host of 10.0.2.15/24" },
	{ HEAD "nic = n0 segment=lan ip=10.0.2.15/24 gw=10.0.2.255\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': gw 10.0.2.255 is not another host of 10.0.2.15/24" },
	{ HEAD "nic = n0 segment=lan ip=10.0.2.15/24 gw=10.0.2.2/24\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': bad gw '10.0.2.2/24': expected an IPv4 address like 10.0.2.2" },
	{ HEAD "nic = n0 segment=lan ip=10.0.2.15/24 dns=255.255.255.255\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': dns '255.255.255.255' is multicast or reserved (224.0.0.0 and up)" },
	{ HEAD "nic = n0 segment=lan ip=10.0.2.15/24 dns=\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': option 'dns' needs a value: dns=..." },
	{ HEAD "nic = n0 segment=lan ip=10.0.2.15/24 ip=10.0.2.16/24\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': option 'ip' given twice" },
	{ HEAD "nic = n0 segment=lan ip=10.0.2.15/24 dhcp\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': ip= and dhcp exclude each other" },
	{ HEAD "nic = n0 segment=lan dhcp=1\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': option 'dhcp' takes no value" },
	{ HEAD "nic = n0 segment=lan dhcp dhcp\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': option 'dhcp' given twice" },
	{ HEAD "nic = n0 segment=lan gw=10.0.2.2\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': gw= needs a static ip=ADDRESS/PREFIX (DHCP brings its own)" },
	{ HEAD "nic = n0 segment=lan dhcp gw=10.0.2.2\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': gw= needs a static ip=ADDRESS/PREFIX (DHCP brings its own)" },
	{ HEAD "nic = n0 segment=lan ip6=fd00:1::5\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': bad ip6 'fd00:1::5': expected ADDRESS/PREFIX like fd00:1::5/64" },
	{ HEAD "nic = n0 segment=lan ip6=fd00:1::5/\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': bad ip6 'fd00:1::5/': expected ADDRESS/PREFIX like fd00:1::5/64" },
	{ HEAD "nic = n0 segment=lan ip6=fd00:1::5/64x\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': bad ip6 'fd00:1::5/64x': expected ADDRESS/PREFIX like fd00:1::5/64" },
	{ HEAD "nic = n0 segment=lan ip6=fd00:1::5/129\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': ip6 'fd00:1::5/129': prefix length outside 1..128" },
	{ HEAD "nic = n0 segment=lan ip6=fd00:1::5/0\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': ip6 'fd00:1::5/0': prefix length outside 1..128" },
	{ HEAD "nic = n0 segment=lan ip6=fd00:1::5/99999999999999999999999\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': ip6 'fd00:1::5/99999999999999999999999': prefix length outside 1..128" },
	{ HEAD "nic = n0 segment=lan ip6=fd00:1:::5/64\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': bad ip6 'fd00:1:::5/64': expected link-local or an IPv6 ADDRESS/PREFIX like fd00:1::5/64" },
	{ HEAD "nic = n0 segment=lan ip6=fd00::1::5/64\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': bad ip6 'fd00::1::5/64': expected link-local or an IPv6 ADDRESS/PREFIX like fd00:1::5/64" },
	{ HEAD "nic = n0 segment=lan ip6=fd00:1:2:3:4:5:6:7:8/64\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': bad ip6 'fd00:1:2:3:4:5:6:7:8/64': expected link-local or an IPv6 ADDRESS/PREFIX like fd00:1::5/64" },
	{ HEAD "nic = n0 segment=lan ip6=fd000::5/64\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': bad ip6 'fd000::5/64': expected link-local or an IPv6 ADDRESS/PREFIX like fd00:1::5/64" },
	{ HEAD "nic = n0 segment=lan ip6=fd00::g/64\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': bad ip6 'fd00::g/64': expected link-local or an IPv6 ADDRESS/PREFIX like fd00:1::5/64" },
	{ HEAD "nic = n0 segment=lan ip6=fe80::5%eth0/64\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': bad ip6 'fe80::5%eth0/64': expected link-local or an IPv6 ADDRESS/PREFIX like fd00:1::5/64" },
	{ HEAD "nic = n0 segment=lan ip6=10.0.2.15/24\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': bad ip6 '10.0.2.15/24': expected link-local or an IPv6 ADDRESS/PREFIX like fd00:1::5/64" },
	{ HEAD "nic = n0 segment=lan ip6=LINK-LOCAL\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': bad ip6 'LINK-LOCAL': expected link-local or an IPv6 ADDRESS/PREFIX like fd00:1::5/64" },
	{ HEAD "nic = n0 segment=lan ip6=::/64\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': ip6 '::/64' is the unspecified address (::)" },
	{ HEAD "nic = n0 segment=lan ip6=::1/128\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': ip6 '::1/128' is the loopback address (::1)" },
	{ HEAD "nic = n0 segment=lan ip6=ff02::1/64\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': ip6 'ff02::1/64' is a multicast address (ff00::/8)" },
	{ HEAD "nic = n0 segment=lan ip6=::ffff:10.0.2.15/96\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': ip6 '::ffff:10.0.2.15/96' is an IPv4-mapped address (::ffff:0:0/96)" },
	{ HEAD "nic = n0 segment=lan ip6=fe80::5/64\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': ip6 'fe80::5/64' is link-local (fe80::/10): the vNIC's link-local address is made from its MAC; write ip6=link-local" },
	{ HEAD "nic = n0 segment=lan ip6=fd00:1::/64\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': ip6 'fd00:1::/64' is the Subnet-Router anycast address of its prefix (interface bits all zero), not a host's" },
	{ HEAD "nic = n0 segment=lan ip6=link-local ip6=fd00:1::5/64\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': option 'ip6' given twice" },
	{ HEAD "nic = n0 segment=lan ip6=fd00:1::5/64 gw6=fd00:1::1 gw6=fd00:1::2\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': option 'gw6' given twice" },
	{ HEAD "nic = n0 segment=lan ip6=\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': option 'ip6' needs a value: ip6=link-local or ip6=ADDRESS/PREFIX" },
	{ HEAD "nic = n0 segment=lan ip6\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': option 'ip6' needs a value: ip6=link-local or ip6=ADDRESS/PREFIX" },
	{ HEAD "nic = n0 segment=lan ip6=fd00:1::5/64 gw6=\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': option 'gw6' needs a value: gw6=ADDRESS" },
	{ HEAD "nic = n0 segment=lan gw6=fe80::1\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': gw6= needs ip6= (link-local or ADDRESS/PREFIX)" },
	{ HEAD "nic = n0 segment=lan ip6=fd00:1::5/64 gw6=fd00:1::1/64\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': bad gw6 'fd00:1::1/64': expected an IPv6 address like fe80::1 or fd00:1::1" },
	{ HEAD "nic = n0 segment=lan ip6=fd00:1::5/64 gw6=ff02::2\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': gw6 'ff02::2' is a multicast address (ff00::/8)" },
	{ HEAD "nic = n0 segment=lan ip6=fd00:1::5/64 gw6=::\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': gw6 '::' is the unspecified address (::)" },
	{ HEAD "nic = n0 segment=lan ip6=fd00:1::5/64 gw6=fd00:2::1\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': gw6 fd00:2::1 is neither link-local nor another address of fd00:1::5/64" },
	{ HEAD "nic = n0 segment=lan ip6=fd00:1::5/64 gw6=fd00:1:0:0:0:0:0:5\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': gw6 fd00:1::5 is neither link-local nor another address of fd00:1::5/64" },
	{ HEAD "nic = n0 segment=lan ip6=link-local gw6=fd00:1::1\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': gw6 fd00:1::1 is not link-local (fe80::/10), and ip6=link-local gives no other prefix to reach it on" },
	{ HEAD "nic = n0 segment=lan ip6=link-local\nnic = n1 segment=lan ip6=fd00:1::5/64\n" LAN8, 0, 0, "t.conf:8: vNIC 'n1' of app 'a': ip6= on a vNIC the app may not use (no net:n1 in its grants)" },
	{ HEAD "nic = n0 segment=lan dns=10.0.2.3\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': dns= needs ip= or dhcp" },
	{ HEAD "nic = n0 segment=lan 'mac=x\n" LAN8, 0, 0, "t.conf:7: 'nic': unterminated single quote" },
	{ HEAD "nic = n0 segment=lan mac=52:54:00:00:00\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': bad MAC '52:54:00:00:00': expected six hex bytes like 52:54:00:12:34:56" },
	{ HEAD "nic = n0 segment=lan mac=52:54:00:00:00:0g\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': bad MAC '52:54:00:00:00:0g': expected six hex bytes like 52:54:00:12:34:56" },
	{ HEAD "nic = n0 segment=lan mac=52-54-00-00-00-01\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': bad MAC '52-54-00-00-00-01': expected..." },
	{ HEAD "nic = n0 segment=lan mac=52:54:00:00:00:012\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': bad MAC '52:54:00:00:00:012': expected..." },
	{ HEAD "nic = n0 segment=lan mac=\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': option 'mac' needs a value: mac=..." },
	{ HEAD "nic = n0 segment=lan mac=01:00:5e:00:00:01\n" LAN8, 0, 0,
	  "t.conf:7: vNIC 'n0' of app 'a': MAC 01:00:5e:00:00:01 is a group (multicast or broadcast) address: bit 0 of its first byte must be clear" },
	{ HEAD "nic = n0 segment=lan mac=FF:FF:FF:FF:FF:FF\n" LAN8, 0, 0,
	  "t.conf:7: vNIC 'n0' of app 'a': MAC FF:FF:FF:FF:FF:FF is a group (multicast or broadcast) address: bit 0 of its first byte must be clear" },
	{ HEAD "nic = n0 segment=lan mac=00:00:00:00:00:00\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': MAC 00:00:00:00:00:00 is all zeros" },
	{ HEAD "nic = n0 segment=lan mac=52:54:00:00:00:01\nnic = n1 segment=lan mac=52:54:00:00:00:01\n" LAN8, 0, 0,
	  "t.conf:8: vNIC 'n1' of app 'a': MAC 52:54:00:00:00:01 is also vNIC 'n0' of app 'a' (line 7)" },
	{ HEAD "nic = n0 segment=lan mac=52:54:00:00:00:01\n" LAN8 "[app b]\nelf = a.elf\nmemory = 4M\nnic = n0 segment=lan mac=52:54:00:00:00:01\n", 0, 0,
	  "t.conf:13: vNIC 'n0' of app 'b': MAC 52:54:00:00:00:01 is also vNIC 'n0' of app 'a' (line 7)" },
	{ HEAD "nic = n0 segment=lan queue=0\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': queue '0' is outside 1..1024" },
	{ HEAD "nic = n0 segment=lan queue=1025\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': queue '1025' is outside 1..1024" },
	{ HEAD "nic = n0 segment=lan queue=184467440737095516160\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': queue '184467440737095516160' is outside 1..1024" },
	{ HEAD "nic = n0 segment=lan queue=64k\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': bad queue '64k': expected a decimal number" },
	{ HEAD "nic = n0 segment=lan queue=-1\n" LAN8, 0, 0, "t.conf:7: vNIC 'n0' of app 'a': bad queue '-1': expected a decimal number" },
	{ NICS8 "nic = n8 segment=lan\n" LAN8, 0, 0, "t.conf:15: app 'a' has more than 8 vNICs" },
	/* The network: grants. */
	{ NIC7 "grants = net\n[segment lan]\n", 0, 0, "t.conf:8: grant 'net' must name the vNICs: net:NAME for each vNIC the app may use" },
	{ NIC7 "grants = console net:\n[segment lan]\n", 0, 0, "t.conf:8: grant 'net:' names no vNIC: net:NAME" },
	{ NIC7 "grants = net:n1\n[segment lan]\n", 0, 0, "t.conf:8: grant 'net:n1': app 'a' has no vNIC 'n1' (its vNICs: n0)" },
	{ NIC7 "nic = n1 segment=lan\ngrants = net:n0 net:n2\n[segment lan]\n", 0, 0, "t.conf:9: grant 'net:n2': app 'a' has no vNIC 'n2' (its vNICs: n0 n1)" },
	{ HEAD "grants = net:n0\n[app b]\nelf = a.elf\nmemory = 4M\nnic = n0 segment=lan\n[segment lan]\n", 0, 0,
	  "t.conf:7: grant 'net:n0': app 'a' has no vNIC 'n0' (it has no nic = lines)" },
	{ NIC7 "grants = net:n0 net:n0\n[segment lan]\n", 0, 0, "t.conf:8: grant 'net:n0' is listed twice" },
	{ NIC7 "grants = net:N0\n[segment lan]\n", 0, 0, "t.conf:8: grant 'net:N0': 'N0' is not a vNIC name (1-31 of a-z 0-9 _ -)" },
	{ NIC7 "grants = net:a net:b net:c net:d net:e net:f net:g net:h net:i\n[segment lan]\n", 0, 0,
	  "t.conf:8: more than 8 net: grants (an app has at most 8 vNICs)" },
	{ NIC7 "grants = chan\n[segment lan]\n", 0, 0, "t.conf:8: grant 'chan' must name the channels: chan:NAME for each channel the app uses" },
	{ HEAD "grants = console\n", m_stub_net, 0, "t.conf:7: app 'a' contains the net_read stub but is not granted 'net' (grant net:NAME for one of its vNICs)" },
	{ NIC7 "grants = console\n[segment lan]\n", m_stub_net, 0, "t.conf:8: app 'a' contains the net_read stub but is not granted 'net' (grant net:NAME for one of its vNICs)" },
};

static int matches(const char *got, const char *want)
{
	size_t n = strlen(want);
	if (n > 3 && !strcmp(want + n - 3, "..."))
		return !strncmp(got, want, n - 3);
	return !strcmp(got, want);
}

TEST(bad_inputs_table)
{
	CHECK(sizeof(bad) / sizeof(bad[0]) >= 150);
	struct gen_elf g;
	gen_default(&g);
	mk_set_elf(0, &g);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		gen_default(&g);
		if (bad[i].gen)
			bad[i].gen(&g);
		uint8_t *d;
		size_t n = gen_build(&g, &d);
		if (bad[i].bytes)
			bad[i].bytes(d, &n);
		free(mk_files[0].data);
		mk_files[0].data = d;
		mk_files[0].len = n;
		const char *got = mk_build(bad[i].conf, NULL, NULL);
		if (!matches(got, bad[i].want)) {
			char m[900];
			snprintf(m, sizeof(m), "case %zu: want \"%s\", got \"%s\"", i, bad[i].want, got);
			unit_fail(__FILE__, __LINE__, m);
			return;
		}
	}
}

/* The second app's ELF is the broken one: the message names it and its line. */
TEST(bad_second_app)
{
	struct gen_elf g;
	gen_default(&g);
	mk_set_elf(0, &g);
	g.machine = 40;
	mk_set_elf(1, &g);
	CHECK_STR(mk_build(HEAD "[app b]\nelf = b.elf\nmemory = 4M\n", NULL, NULL),
		  "t.conf:8: app 'b': b.elf: ELF machine is 40, not x86-64");
}

/* Every case in the table parses fine once its mistake is removed: the base is good. */
TEST(base_config_builds)
{
	struct gen_elf g;
	gen_default(&g);
	mk_set_elf(0, &g);
	CHECK_STR(mk_build(HEAD, NULL, NULL), "");
	CHECK_STR(mk_build(HEAD "grants = console clock random\nstack = 1M\n", NULL, NULL), "");
	gen_add_sym(&g, "uv_hc_console_write", 0x200100, 8, STT_FUNC);
	gen_add_sym(&g, "uv_hc_exit", 0x200108, 8, STT_FUNC);
	gen_add_sym(&g, "uv_hc_yield", 0x200110, 8, STT_FUNC);
	mk_set_elf(0, &g);
	CHECK_STR(mk_build(HEAD "grants = console\n", NULL, NULL), "");
	/* Memory just big enough: image [0x200000, 0x203000) + guard + 256K stack. */
	g.segs[1].memsz = 0x3ff000 - 0x201000 - 0x40000;
	mk_set_elf(0, &g);
	CHECK_STR(mk_build(HEAD "grants = console\n", NULL, NULL), "");
	g.segs[1].memsz += 0x1000;
	mk_set_elf(0, &g);
	CHECK(strstr(mk_build(HEAD "grants = console\n", NULL, NULL), "t.conf:6: app 'a': memory 4096K is too small") == mk_err);
}

TEST(hv_choice)
{
	static const struct { const char *word; enum cfg_hv hv; } w[] = {
		{ "both", CFG_HV_BOTH }, { "vmx", CFG_HV_VMX }, { "svm", CFG_HV_SVM }, { "\"svm\"", CFG_HV_SVM },
	};
	for (unsigned i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		char c[256];
		snprintf(c, sizeof(c), "[appliance]\nname = t\nhv = %s\n[app a]\nelf = a.elf\nmemory = 4M\n", w[i].word);
		mk_cfg.hv = (enum cfg_hv)99;
		CHECK_EQ(config_parse("t.conf", c, strlen(c), &mk_cfg, mk_err, sizeof(mk_err)), 0);
		CHECK_EQ(mk_cfg.hv, w[i].hv);
	}
	CHECK_STR(config_hv_name(CFG_HV_VMX), "vmx");
	CHECK_STR(config_hv_name((enum cfg_hv)7), "?");
}

TEST(values_and_defaults)
{
	const char *c = "# a comment\n[appliance]   # trailing\n  name = box_1-x  \n\n"
			"[app web]\r\nelf = \"dir with space/a.elf\"\nmemory = 2G\nargs = --root \"/srv/my site\" a\\\"b \"#x\" \"\"\n"
			"grants = base random clock\nrestart = on-failure\nrestart_backoff = 2s\nexceptions = guest\n"
			"[app db]\nelf = b.elf\nmemory = 4096K\nstack = 8K\nrestart = always\nrestart_limit = 0\n"
			"[app z]\nelf = c\nmemory = 4194304\nrestart = never\nrestart_limit = 0\nrestart_backoff = 250ms\n";
	CHECK_EQ(config_parse("x.conf", c, strlen(c), &mk_cfg, mk_err, sizeof(mk_err)), 0);
	CHECK_STR(mk_cfg.name, "box_1-x");
	CHECK_EQ(mk_cfg.hv, CFG_HV_BOTH);
	CHECK_EQ(mk_cfg.n_apps, 3);
	const struct cfg_app *a = &mk_cfg.apps[0];
	CHECK_STR(a->name, "web");
	CHECK_STR(a->elf, "dir with space/a.elf");
	CHECK_EQ(a->mem_size, 2ull << 30);
	CHECK_EQ(a->stack_size, UV_GUEST_STACK_DEFAULT);
	CHECK_EQ(a->argc, 6);
	static const char want_args[] = "web\0--root\0/srv/my site\0a\"b\0#x\0";
	CHECK_EQ(a->args_len, sizeof(want_args));
	CHECK(!memcmp(a->args, want_args, sizeof(want_args)));
	CHECK_EQ(a->grants, UV_GRANT_BASE | UV_GRANT_RANDOM | UV_GRANT_CLOCK);
	CHECK_EQ(a->restart, UV_RESTART_ON_FAILURE);
	CHECK_EQ(a->restart_limit, 5);
	CHECK_EQ(a->restart_backoff_ms, 2000);
	CHECK_EQ(a->flags, UV_APP_GUEST_EXCEPTIONS);
	CHECK_EQ(a->line, 5);
	CHECK_EQ(a->key_line[K_GRANTS], 9);
	a = &mk_cfg.apps[1];
	CHECK_EQ(a->mem_size, 4ull << 20);
	CHECK_EQ(a->stack_size, 8192);
	CHECK_EQ(a->restart, UV_RESTART_ALWAYS);
	CHECK_EQ(a->restart_limit, 0);
	CHECK_EQ(a->argc, 1);
	CHECK_EQ(a->args_len, 3);
	CHECK_EQ(a->grants, UV_GRANT_BASE);
	CHECK_EQ(a->flags, 0);
	a = &mk_cfg.apps[2];
	CHECK_EQ(a->restart_limit, 0);
	CHECK_EQ(a->restart_backoff_ms, 250);
	CHECK_EQ(a->mem_size, 4ull << 20);
}

/* A single quote inside double quotes is an ordinary byte, and a double quote inside single quotes; single quotes keep backslashes. */
TEST(quotes_single_and_double)
{
	const char *c = "[appliance]\nname = t\n[app a]\nelf = a.elf\nmemory = 4M\n"
			"args = -e \"print('x')\" 'say \"hi\"' 'a\\b' \"c\\\"d\" '#not a comment' x'y z'w \"\" '' 'it''s' # it's\n";
	CHECK_EQ(config_parse("t.conf", c, strlen(c), &mk_cfg, mk_err, sizeof(mk_err)), 0);
	static const char want[] = "a\0-e\0print('x')\0say \"hi\"\0a\\b\0c\"d\0#not a comment\0xy zw\0\0\0its";
	CHECK_EQ(mk_cfg.apps[0].argc, 11);
	CHECK_EQ(mk_cfg.apps[0].args_len, sizeof(want));
	CHECK(!memcmp(mk_cfg.apps[0].args, want, sizeof(want)));
	/* The first example of the brief, as a whole config that builds. */
	struct gen_elf g;
	gen_default(&g);
	mk_set_elf(0, &g);
	CHECK_STR(mk_build(HEAD "args = -e \"print('x')\"\n", NULL, NULL), "");
	CHECK_EQ(mk_cfg.apps[0].argc, 3);
	CHECK_STR(mk_cfg.apps[0].args + 2 + 3, "print('x')");
	CHECK_STR(mk_build(HEAD "args = 'print(\"x\")' # it's a comment\n", NULL, NULL), "");
	CHECK_STR(mk_cfg.apps[0].args + 2, "print(\"x\")");
}

TEST(limits_apps_args_lines)
{
	static char c[80000];
	/* 16 apps are fine, 17 are not. */
	int n = snprintf(c, sizeof(c), "[appliance]\nname = t\n");
	for (int i = 0; i < 17; i++)
		n += snprintf(c + n, sizeof(c) - n, "[app a%d]\nelf = a.elf\nmemory = 4M\n", i);
	CHECK_STR(mk_build(c, NULL, NULL), "t.conf:51: too many apps (at most 16)");
	c[strstr(c, "[app a16]") - c] = 0;
	struct gen_elf g;
	gen_default(&g);
	mk_set_elf(0, &g);
	CHECK_STR(mk_build(c, NULL, NULL), "");
	/* args: "a\0" + words up to 3072 bytes in all. */
	n = snprintf(c, sizeof(c), HEAD "args =");
	for (int i = 0; i < 1534; i++)
		n += snprintf(c + n, sizeof(c) - n, " x");
	snprintf(c + n, sizeof(c) - n, "\n");
	CHECK_STR(mk_build(c, NULL, NULL), ""); /* 2 + 1534 * 2 = 3070 */
	CHECK_EQ(mk_cfg.apps[0].argc, 1535);
	snprintf(c + n, sizeof(c) - n, " xy\n");
	CHECK_STR(mk_build(c, NULL, NULL), "t.conf:7: args are too long: 3073 bytes with argv[0] and the NULs, at most 3072");
	/* A line over 4096 bytes. */
	n = snprintf(c, sizeof(c), HEAD "args = ");
	memset(c + n, 'y', 4100);
	strcpy(c + n + 4100, "\n");
	CHECK_STR(mk_build(c, NULL, NULL), "t.conf:7: line is longer than 4096 bytes");
	/* A NUL byte. */
	static const char nul[] = "[appliance]\nname = t\0x\n";
	CHECK_EQ(config_parse("t.conf", nul, sizeof(nul) - 1, &mk_cfg, mk_err, sizeof(mk_err)), -1);
	CHECK_STR(mk_err, "t.conf:2: NUL byte in the config");
}

TEST(manifest_layout)
{
	struct gen_elf g;
	gen_default(&g);
	gen_add_sym(&g, "helper", 0x200030, 4, STT_FUNC);
	gen_add_sym(&g, "alias", 0x200010, 4, STT_FUNC);      /* same address as main: one name kept */
	gen_add_sym(&g, "data_obj", 0x201000, 4, 1 /* STT_OBJECT */);
	mk_set_elf(0, &g);
	uint8_t *m;
	size_t len;
	CHECK_STR(mk_build(HEAD "args = x \"y z\"\ngrants = console\nrestart = always\n[app b]\nelf = a.elf\nmemory = 8M\nstack = 64K\n",
		     &m, &len), "");
	struct manifest_error me;
	CHECK_EQ(manifest_check(m, len, &me), 0);
	struct uv_manifest h;
	memcpy(&h, m, sizeof(h));
	CHECK_EQ(h.magic, UV_MANIFEST_MAGIC);
	CHECK_EQ(h.version, UV_MANIFEST_VERSION);
	CHECK_EQ(h.total_size, len);
	CHECK_EQ(len % 16, 0);
	CHECK_EQ(h.n_apps, 2);
	CHECK_STR(h.name, "t");
	struct uv_manifest_app a[2];
	memcpy(a, m + sizeof(h), sizeof(a));
	CHECK_STR(a[0].name, "a");
	CHECK_EQ(a[0].mem_size, 4 << 20);
	CHECK_EQ(a[0].stack_size, 256 << 10);
	CHECK_EQ(a[0].grants, UV_GRANT_BASE | UV_GRANT_CONSOLE);
	CHECK_EQ(a[0].restart, UV_RESTART_ALWAYS);
	CHECK_EQ(a[0].restart_limit, 5);
	CHECK_EQ(a[0].argc, 3);
	CHECK_EQ(a[0].args.size, 8);
	CHECK(!memcmp(m + a[0].args.off, "a\0x\0y z\0", 8));
	CHECK_STR(a[1].name, "b");
	CHECK_EQ(a[1].stack_size, 64 << 10);
	CHECK_EQ(a[1].argc, 1);
	CHECK(!memcmp(m + a[1].args.off, "b\0", 2));
	/* The image blob: the segments' file bytes end to end; the loads say where they go. */
	CHECK_EQ(a[0].image.off % 16, 0);
	CHECK_EQ(a[0].image.size, 0x2000);
	CHECK(!memcmp(m + a[0].image.off, mk_files[0].data + 0x1000, 0x2000));
	CHECK_EQ(a[0].entry, 0x200000);
	CHECK_EQ(a[0].n_loads, 2);
	CHECK(a[0].load[0].vaddr == 0x200000 && a[0].load[0].memsz == 0x1000 && a[0].load[0].off == 0 &&
	      a[0].load[0].filesz == 0x1000 && a[0].load[0].skip == 0 && a[0].load[0].flags == (UV_LOAD_R | UV_LOAD_X));
	CHECK(a[0].load[1].vaddr == 0x201000 && a[0].load[1].memsz == 0x2000 && a[0].load[1].off == 0x1000 &&
	      a[0].load[1].filesz == 0x1000 && a[0].load[1].skip == 0 && a[0].load[1].flags == (UV_LOAD_R | UV_LOAD_W));
	CHECK_EQ(a[0].load[2].memsz, 0);
	/* The symbol table: functions only, sorted, one per address. */
	CHECK_EQ(a[0].syms.off % 16, 0);
	struct uv_symtab st;
	memcpy(&st, m + a[0].syms.off, sizeof(st));
	CHECK_EQ(st.n, 3);
	struct uv_sym s[3];
	memcpy(s, m + a[0].syms.off + sizeof(st), sizeof(s));
	const char *str = (const char *)m + a[0].syms.off + sizeof(st) + sizeof(s);
	CHECK_EQ(s[0].addr, 0x200000);
	CHECK_STR(str + s[0].name_off, "_start");
	CHECK_EQ(s[0].size, 0x10);
	CHECK_EQ(s[1].addr, 0x200010);
	CHECK_STR(str + s[1].name_off, "alias");
	CHECK_EQ(s[2].addr, 0x200030);
	CHECK_STR(str + s[2].name_off, "helper");
	CHECK_EQ(st.strtab_size, sizeof("_start") + sizeof("alias") + sizeof("helper"));
	/* Blobs do not overlap and lie after the records. */
	CHECK(a[0].image.off >= sizeof(h) + 2 * sizeof(a[0]));
	CHECK(a[0].args.off >= a[0].image.off + a[0].image.size);
	CHECK(a[0].syms.off >= a[0].args.off + a[0].args.size);
	CHECK(a[1].image.off >= a[0].syms.off + a[0].syms.size);
	free(m);
}

TEST(elf_symbols_reader)
{
	struct gen_elf g;
	gen_default(&g);
	gen_add_sym(&g, "uv_hc_exit", 0x200100, 8, 0);
	uint8_t *d;
	size_t n = gen_build(&g, &d);
	struct elf_sym_entry *s;
	size_t k;
	char why[200];
	CHECK_EQ(elf_symbols(d, n, &s, &k, why, sizeof(why)), 0);
	CHECK_EQ(k, 3);
	CHECK_STR(s[2].name, "uv_hc_exit");
	CHECK_EQ(s[0].type, STT_FUNC);
	free(s);
	/* A symbol name running off the end of the string table. */
	struct elf64_ehdr eh;
	memcpy(&eh, d, sizeof(eh));
	struct elf64_shdr str;
	memcpy(&str, d + eh.shoff + 2 * 64, sizeof(str));
	d[str.offset + str.size - 1] = 'x';
	CHECK_EQ(elf_symbols(d, n, &s, &k, why, sizeof(why)), -1);
	CHECK_STR(why, "symbol 3: name offset 13 is outside the string table");
	/* Every truncation is handled without reading past the end (ASan watches). */
	for (size_t cut = 0; cut < n; cut++) {
		uint8_t *c = malloc(cut ? cut : 1);
		memcpy(c, d, cut);
		if (elf_symbols(c, cut, &s, &k, why, sizeof(why)) == 0)
			free(s);
		free(c);
	}
	free(d);
}
