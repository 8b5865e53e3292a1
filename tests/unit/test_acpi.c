/* tests/unit/test_acpi.c: the ACPI parser over crafted tables: RSDP, RSDT/XSDT, MADT entries, and corrupt ones of each. */
#include <stdint.h>
#include "tests/unit/unit.h"
#include "kernel/dev/acpi.h"
#include "include/abi/uv_errno.h"

static uint8_t mem[0x10000];
static const void *phys(uint64_t pa, size_t len)
{
	if (pa >= sizeof(mem) || len > sizeof(mem) - pa)
		return NULL;
	return mem + pa;
}

static uint8_t sum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;
	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static uint8_t rsdp[36];
static void make_rsdp(uint8_t rev, uint32_t rsdt, uint64_t xsdt)
{
	memset(rsdp, 0, sizeof(rsdp));
	memcpy(rsdp, "RSD PTR ", 8);
	rsdp[15] = rev;
	put32(rsdp + 16, rsdt);
	rsdp[8] = (uint8_t)-sum(rsdp, 20);
	put32(rsdp + 20, 36);
	put64(rsdp + 24, xsdt);
	rsdp[32] = (uint8_t)-sum(rsdp, 36);
}

/* A table header at pa with signature sig and total length len; then fix_sum(pa). */
static uint8_t *table(uint32_t pa, const char *sig, uint32_t len)
{
	uint8_t *t = mem + pa;
	memset(t, 0, len < sizeof(mem) - pa ? len : sizeof(mem) - pa); /* a table may claim to run off memory */
	memcpy(t, sig, 4);
	put32(t + 4, len);
	t[8] = 1;
	memcpy(t + 10, "UVTEST", 6);
	return t;
}
static void fix_sum(uint32_t pa)
{
	uint32_t len;
	memcpy(&len, mem + pa + 4, 4);
	mem[pa + 9] = 0;
	mem[pa + 9] = (uint8_t)-sum(mem + pa, len);
}

/* The root table at pa: entries of 4 (RSDT) or 8 (XSDT) bytes. */
static void root(uint32_t pa, int xsdt, const uint64_t *entries, unsigned n)
{
	unsigned es = xsdt ? 8 : 4;
	uint8_t *t = table(pa, xsdt ? "XSDT" : "RSDT", 36 + es * n);
	for (unsigned i = 0; i < n; i++)
		memcpy(t + 36 + es * i, &entries[i], es);
	fix_sum(pa);
}

/* A MADT at pa like QEMU's: one LAPIC, one IOAPIC at 0xfec00000 (GSI 0), overrides
 * IRQ0 -> GSI 2 (flags 0) and IRQ 10 -> GSI 10 (level, active high), plus extra bytes
 * of entries. Returns the length. */
#define MADT_PA 0x3000
static uint32_t madt(uint32_t pa, const uint8_t *extra, uint32_t extra_len)
{
	uint32_t len = 44 + 8 + 12 + 10 + 10 + extra_len;
	uint8_t *t = table(pa, "APIC", len);
	put32(t + 36, 0xfee00000);
	put32(t + 40, 1);
	uint8_t *e = t + 44;
	e[0] = 0; e[1] = 8; e[2] = 0; e[3] = 0; put32(e + 4, 1);
	e += 8;
	e[0] = 1; e[1] = 12; e[2] = 0; put32(e + 4, 0xfec00000); put32(e + 8, 0);
	e += 12;
	e[0] = 2; e[1] = 10; e[2] = 0; e[3] = 0; put32(e + 4, 2); e[8] = 0; e[9] = 0;
	e += 10;
	e[0] = 2; e[1] = 10; e[2] = 0; e[3] = 10; put32(e + 4, 10); e[8] = 0xd; e[9] = 0;
	e += 10;
	if (extra_len)
		memcpy(e, extra, extra_len);
	fix_sum(pa);
	return len;
}

/* RSDT at 0x1000 -> [FACP at 0x2000, MADT at MADT_PA]; v1 RSDP. */
static void qemu_like(void)
{
	memset(mem, 0, sizeof(mem));
	table(0x2000, "FACP", 116);
	fix_sum(0x2000);
	madt(MADT_PA, NULL, 0);
	uint64_t e[] = { 0x2000, MADT_PA };
	root(0x1000, 0, e, 2);
	make_rsdp(0, 0x1000, 0);
}

static int parse(struct acpi_info *a, const char **why) { return acpi_parse(rsdp, sizeof(rsdp), phys, a, why); }

TEST(rsdt_madt)
{
	qemu_like();
	struct acpi_info a;
	const char *why = NULL;
	CHECK_EQ(acpi_parse(rsdp, 20, phys, &a, &why), 0);
	CHECK_EQ(a.revision, 0);
	CHECK(!a.from_xsdt);
	CHECK_EQ(a.madt_pa, MADT_PA);
	CHECK_EQ(a.n_lapics, 1);
	CHECK_EQ(a.n_ioapics, 1);
	CHECK_EQ(a.ioapic[0].address, 0xfec00000);
	CHECK_EQ(a.ioapic[0].gsi_base, 0);
	CHECK_EQ(a.n_overrides, 2);
	CHECK_EQ(a.override[1].source, 10);
	CHECK_EQ(a.override[1].flags, 0xd);
	CHECK_EQ(a.ignored, 0);
}

TEST(xsdt_preferred_rsdt_fallback)
{
	qemu_like();
	/* A second MADT, with no overrides, reached only through the XSDT. */
	uint8_t *t = table(0x5000, "APIC", 44 + 12);
	t[44] = 1; t[45] = 12; t[46] = 7; put32(t + 48, 0xfec10000); put32(t + 52, 24);
	fix_sum(0x5000);
	uint64_t e[] = { 0x2000, 0x5000 };
	root(0x4000, 1, e, 2);
	make_rsdp(2, 0x1000, 0x4000);
	struct acpi_info a;
	const char *why = NULL;
	CHECK_EQ(parse(&a, &why), 0);
	CHECK(a.from_xsdt);
	CHECK_EQ(a.madt_pa, 0x5000);
	CHECK_EQ(a.ioapic[0].id, 7);
	CHECK_EQ(a.ioapic[0].gsi_base, 24);
	/* A broken XSDT (checksum): the RSDT's MADT. */
	mem[0x4000 + 40] ^= 1;
	CHECK_EQ(parse(&a, &why), 0);
	CHECK(!a.from_xsdt);
	CHECK_EQ(a.madt_pa, MADT_PA);
	/* An XSDT whose address lies outside memory: the RSDT too. */
	make_rsdp(2, 0x1000, 0xffffffff00000000ull);
	CHECK_EQ(parse(&a, &why), 0);
	CHECK_EQ(a.madt_pa, MADT_PA);
	/* Only an XSDT, and it is broken: refused. */
	make_rsdp(2, 0, 0x4000);
	CHECK_EQ(parse(&a, &why), -UV_EINVAL);
	CHECK(strstr(why, "checksum") != NULL);
}

TEST(rsdp_refused)
{
	qemu_like();
	struct acpi_info a;
	const char *why = NULL;
	CHECK_EQ(acpi_parse(rsdp, 19, phys, &a, &why), -UV_EINVAL);
	CHECK_EQ(acpi_parse(NULL, 36, phys, &a, &why), -UV_EINVAL);
	rsdp[0] = 'X';
	CHECK_EQ(parse(&a, &why), -UV_EINVAL);
	qemu_like();
	rsdp[16] ^= 1; /* RSDT address changed, checksum not */
	CHECK_EQ(parse(&a, &why), -UV_EINVAL);
	CHECK(strstr(why, "checksum") != NULL);
	/* ACPI 2.0: only 20 bytes given, a wrong length, a wrong extended checksum. */
	make_rsdp(2, 0x1000, 0);
	CHECK_EQ(acpi_parse(rsdp, 20, phys, &a, &why), -UV_EINVAL);
	put32(rsdp + 20, 40);
	rsdp[32] = (uint8_t)(rsdp[32] - 4);
	CHECK_EQ(parse(&a, &why), -UV_EINVAL);
	make_rsdp(2, 0x1000, 0);
	rsdp[33] = 1;
	CHECK_EQ(parse(&a, &why), -UV_EINVAL);
	/* Neither root table. */
	make_rsdp(2, 0, 0);
	CHECK_EQ(parse(&a, &why), -UV_ENOENT);
	/* ACPI 2.0 with no XSDT uses the RSDT. */
	make_rsdp(2, 0x1000, 0);
	CHECK_EQ(parse(&a, &why), 0);
	CHECK_EQ(a.revision, 2);
	CHECK_EQ(a.madt_pa, MADT_PA);
}

TEST(root_table_refused)
{
	struct acpi_info a;
	const char *why = NULL;
	qemu_like();
	mem[0x1000] = 'X'; /* signature */
	CHECK_EQ(parse(&a, &why), -UV_EINVAL);
	qemu_like();
	put32(mem + 0x1000 + 4, 35); /* shorter than its header */
	CHECK_EQ(parse(&a, &why), -UV_EINVAL);
	qemu_like();
	put32(mem + 0x1000 + 4, 0x20000); /* above 64 KiB */
	CHECK_EQ(parse(&a, &why), -UV_EINVAL);
	qemu_like();
	put32(mem + 0x1000 + 4, 43); /* not a whole number of entries */
	fix_sum(0x1000);
	CHECK_EQ(parse(&a, &why), -UV_EINVAL);
	CHECK(strstr(why, "whole number") != NULL);
	qemu_like();
	make_rsdp(0, sizeof(mem) - 20, 0); /* the header would run off memory */
	CHECK_EQ(parse(&a, &why), -UV_EINVAL);
	qemu_like();
	uint8_t *t = table(0xff00, "RSDT", 0x200); /* the body would run off memory */
	(void)t;
	make_rsdp(0, 0xff00, 0);
	CHECK_EQ(parse(&a, &why), -UV_EINVAL);
}

TEST(no_madt)
{
	struct acpi_info a;
	const char *why = NULL;
	qemu_like();
	uint64_t e[] = { 0x2000, 0, 0xfffffff0, 0x1000000 }; /* a FACP, a null, and two outside memory */
	root(0x1000, 0, e, 4);
	CHECK_EQ(parse(&a, &why), -UV_ENOENT);
	root(0x1000, 0, e, 0); /* an empty RSDT */
	CHECK_EQ(parse(&a, &why), -UV_ENOENT);
}

TEST(madt_refused)
{
	struct acpi_info a;
	const char *why = NULL;
	qemu_like();
	mem[MADT_PA + 50] ^= 1; /* checksum */
	CHECK_EQ(parse(&a, &why), -UV_EINVAL);
	CHECK(strstr(why, "checksum") != NULL);
	/* Shorter than its fixed part. */
	qemu_like();
	table(MADT_PA, "APIC", 40);
	fix_sum(MADT_PA);
	CHECK_EQ(parse(&a, &why), -UV_EINVAL);
	/* An entry of length 0 (would loop), 1, and one running past the end. */
	uint8_t zero[2] = { 7, 0 }, one[2] = { 7, 1 }, past[2] = { 7, 9 }, cut[1] = { 7 };
	const uint8_t *bad[] = { zero, one, past, cut };
	uint32_t bad_len[] = { 2, 2, 2, 1 };
	for (unsigned i = 0; i < 4; i++) {
		qemu_like();
		madt(MADT_PA, bad[i], bad_len[i]);
		CHECK_EQ(parse(&a, &why), -UV_EINVAL);
	}
	/* Known entries with the wrong length. */
	uint8_t io11[11] = { 1, 11 }, ovr12[12] = { 2, 12 }, lapic6[6] = { 0, 6 };
	qemu_like();
	madt(MADT_PA, io11, sizeof(io11));
	CHECK_EQ(parse(&a, &why), -UV_EINVAL);
	CHECK(strstr(why, "IOAPIC") != NULL);
	madt(MADT_PA, ovr12, sizeof(ovr12));
	CHECK_EQ(parse(&a, &why), -UV_EINVAL);
	CHECK(strstr(why, "override is not 10") != NULL);
	madt(MADT_PA, lapic6, sizeof(lapic6));
	CHECK_EQ(parse(&a, &why), -UV_EINVAL);
	CHECK(strstr(why, "local APIC entry is not 8") != NULL);
	/* The MADT itself lies past memory's end. */
	qemu_like();
	uint64_t e[] = { sizeof(mem) - 36 };
	memcpy(mem + sizeof(mem) - 36, "APIC", 4);
	put32(mem + sizeof(mem) - 32, 100);
	root(0x1000, 0, e, 1);
	CHECK_EQ(parse(&a, &why), -UV_EINVAL);
	CHECK(strstr(why, "past memory") != NULL);
}

TEST(madt_entries_left_out)
{
	/* Ten IOAPICs (two over the limit, one at address 0), overrides for bus 1, IRQ 16
	 * and a second one for IRQ 0, and an entry of an unknown type: all counted; and a
	 * local APIC not enabled. */
	uint8_t extra[12 * 10 + 10 * 3 + 4 + 8];
	uint8_t *e = extra;
	for (unsigned i = 0; i < 10; i++, e += 12) {
		memset(e, 0, 12);
		e[0] = 1; e[1] = 12; e[2] = (uint8_t)(i + 1);
		put32(e + 4, i == 3 ? 0 : 0xfec01000 + 0x1000 * i);
		put32(e + 8, 24 * (i + 1));
	}
	uint8_t ovr[3][2] = { { 1, 5 }, { 0, 16 }, { 0, 0 } }; /* bus, source */
	for (unsigned i = 0; i < 3; i++, e += 10) {
		memset(e, 0, 10);
		e[0] = 2; e[1] = 10; e[2] = ovr[i][0]; e[3] = ovr[i][1]; put32(e + 4, 20);
	}
	e[0] = 0x7f; e[1] = 4; e[2] = e[3] = 0xff;
	e += 4;
	memset(e, 0, 8);
	e[0] = 0; e[1] = 8; e[2] = 1; e[3] = 1; /* a local APIC not enabled: not counted */
	qemu_like();
	madt(MADT_PA, extra, sizeof(extra));
	struct acpi_info a;
	const char *why = NULL;
	CHECK_EQ(parse(&a, &why), 0);
	CHECK_EQ(a.n_lapics, 1);
	CHECK_EQ(a.n_ioapics, ACPI_MAX_IOAPICS);
	CHECK_EQ(a.ioapic[3].id, 3); /* id 4 at address 0 was left out */
	CHECK_EQ(a.ioapic[4].id, 5);
	CHECK_EQ(a.n_overrides, 2);
	CHECK_EQ(a.override[0].gsi, 2); /* the first override for IRQ 0 holds */
	CHECK_EQ(a.ignored, 3 + 3);
}

TEST(irq_route)
{
	qemu_like();
	struct acpi_info a;
	const char *why = NULL;
	CHECK_EQ(parse(&a, &why), 0);
	uint32_t gsi;
	bool level, low;
	/* IRQ 0 -> GSI 2, flags "conform": ISA's edge, active high. */
	acpi_irq_route(&a, 0, false, &gsi, &level, &low);
	CHECK_EQ(gsi, 2);
	CHECK(!level && !low);
	/* A PCI line with QEMU's override: level, active high. */
	acpi_irq_route(&a, 10, true, &gsi, &level, &low);
	CHECK_EQ(gsi, 10);
	CHECK(level && !low);
	/* A PCI line without override: level, active low, GSI = line. */
	acpi_irq_route(&a, 11, true, &gsi, &level, &low);
	CHECK_EQ(gsi, 11);
	CHECK(level && low);
	/* An ISA IRQ without override: edge, active high. */
	acpi_irq_route(&a, 4, false, &gsi, &level, &low);
	CHECK_EQ(gsi, 4);
	CHECK(!level && !low);
	/* Explicit flags: edge + active low; reserved values (2) conform to the bus. */
	a.override[1].flags = 0x7;
	acpi_irq_route(&a, 10, true, &gsi, &level, &low);
	CHECK(!level && low);
	a.override[1].flags = 0xa;
	acpi_irq_route(&a, 10, true, &gsi, &level, &low);
	CHECK(level && low);
	acpi_irq_route(&a, 10, false, &gsi, &level, &low);
	CHECK(!level && !low);
	/* A PCI line beyond the ISA range is its own GSI. */
	acpi_irq_route(&a, 200, true, &gsi, &level, &low);
	CHECK_EQ(gsi, 200);
}
