/* kernel/dev/acpi.c: a pure parser of the ACPI tables the kernel needs: RSDP -> RSDT/XSDT -> MADT (IOAPICs, interrupt source overrides). */
#include "kernel/dev/acpi.h"
#include "kernel/boot/boot.h"
#include "kernel/lib/bytesum.h"
#include "kernel/lib/kstring.h"
#include "include/abi/uv_errno.h"

/* ACPI 6.x 5.2.5.3: the Root System Description Pointer. */
struct rsdp {
	char sig[8];
	uint8_t checksum; /* over the first 20 bytes */
	char oem[6];
	uint8_t revision;
	uint32_t rsdt;
	uint32_t length;  /* revision >= 2 from here on */
	uint64_t xsdt;
	uint8_t xchecksum; /* over all `length` bytes */
	uint8_t reserved[3];
} __attribute__((packed));
_Static_assert(sizeof(struct rsdp) == BOOT_RSDP_MAX, "RSDP is 36 bytes (ACPI 6.x 5.2.5.3)");

/* ACPI 6.x 5.2.6: the header every system description table starts with. */
struct sdt_header {
	char sig[4];
	uint32_t length; /* of the whole table, header included */
	uint8_t revision;
	uint8_t checksum; /* all `length` bytes sum to 0 */
	char oem[6];
	char oem_table[8];
	uint32_t oem_revision, creator, creator_revision;
} __attribute__((packed));
_Static_assert(sizeof(struct sdt_header) == 36, "SDT header is 36 bytes (ACPI 6.x 5.2.6)");
#define RSDT_ENTRY 4 /* 5.2.7: 32-bit table addresses */
#define XSDT_ENTRY 8 /* 5.2.8: 64-bit table addresses */
#define ROOT_ENTRIES_MAX ((ACPI_TABLE_MAX - sizeof(struct sdt_header)) / RSDT_ENTRY)

/* ACPI 6.x 5.2.12: the MADT ("APIC"): the header, two words, then variable entries. */
struct madt_fixed {
	struct sdt_header h;
	uint32_t lapic_address;
	uint32_t flags;
} __attribute__((packed));
_Static_assert(sizeof(struct madt_fixed) == 44, "MADT entries start at offset 44 (ACPI 6.x 5.2.12)");
struct madt_entry {
	uint8_t type, length;
} __attribute__((packed));
#define MADT_LAPIC 0    /* 5.2.12.2 */
#define MADT_IOAPIC 1   /* 5.2.12.3 */
#define MADT_OVERRIDE 2 /* 5.2.12.5 */
struct madt_lapic {
	struct madt_entry e;
	uint8_t uid, apic_id;
	uint32_t flags;
} __attribute__((packed));
_Static_assert(sizeof(struct madt_lapic) == 8, "MADT processor local APIC entry is 8 bytes (5.2.12.2)");
#define LAPIC_ENABLED (1u << 0)
struct madt_ioapic {
	struct madt_entry e;
	uint8_t id, reserved;
	uint32_t address, gsi_base;
} __attribute__((packed));
_Static_assert(sizeof(struct madt_ioapic) == 12, "MADT IOAPIC entry is 12 bytes (5.2.12.3)");
struct madt_override {
	struct madt_entry e;
	uint8_t bus, source;
	uint32_t gsi;
	uint16_t flags;
} __attribute__((packed));
_Static_assert(sizeof(struct madt_override) == 10, "MADT interrupt source override entry is 10 bytes (5.2.12.5)");
#define OVERRIDE_BUS_ISA 0

/* MPS INTI flags (ACPI 6.x 5.2.12.5, table "MPS INTI Flags"): 0 = conforms to the bus,
 * 2 = reserved (taken as conforms here). */
#define INTI_POLARITY(f) ((f) & 3u)
#define INTI_TRIGGER(f) (((f) >> 2) & 3u)
#define INTI_ACTIVE_HIGH 1u
#define INTI_ACTIVE_LOW 3u
#define INTI_EDGE 1u
#define INTI_LEVEL 3u

/* Sets *why to msg and returns err. */
static int fail(const char **why, const char *msg, int err)
{
	*why = msg;
	return err;
}

/* The table at pa whose signature is sig, whole and with its checksum right: 0 with its
 * bytes (header included) in *t and its length in *len, or -UV_EINVAL with *why set. */
static int read_table(acpi_phys_fn phys, uint64_t pa, const char *sig, const uint8_t **t, uint32_t *len,
		      const char **why)
{
	const struct sdt_header *hp = phys(pa, sizeof(struct sdt_header));
	struct sdt_header h;
	if (!hp)
		return fail(why, "a table lies outside memory", -UV_EINVAL);
	memcpy(&h, hp, sizeof(h));
	if (memcmp(h.sig, sig, sizeof(h.sig)))
		return fail(why, "a table has the wrong signature", -UV_EINVAL);
	if (h.length < sizeof(h) || h.length > ACPI_TABLE_MAX)
		return fail(why, "a table's length is below its header or above 64 KiB", -UV_EINVAL);
	*t = phys(pa, h.length);
	if (!*t)
		return fail(why, "a table runs past memory", -UV_EINVAL);
	if (bytesum(*t, h.length))
		return fail(why, "a table's checksum is wrong", -UV_EINVAL);
	*len = h.length;
	return 0;
}

/* Looks through the root table at root_pa (RSDT or XSDT by entry size) for the MADT;
 * its address in *madt. 0, -UV_ENOENT or -UV_EINVAL (the root table is malformed). */
static int find_madt(acpi_phys_fn phys, uint64_t root_pa, unsigned entry, uint64_t *madt, const char **why)
{
	uint32_t len;
	const uint8_t *t;
	int err = read_table(phys, root_pa, entry == XSDT_ENTRY ? "XSDT" : "RSDT", &t, &len, why);
	if (err)
		return err;
	uint32_t body = len - (uint32_t)sizeof(struct sdt_header);
	if (body % entry)
		return fail(why, "the root table's length is not a whole number of entries", -UV_EINVAL);
	for (uint32_t i = 0; i < body / entry && i < ROOT_ENTRIES_MAX; i++) {
		uint64_t pa = 0;
		memcpy(&pa, t + sizeof(struct sdt_header) + (size_t)i * entry, entry); /* little-endian */
		const struct sdt_header *h = pa ? phys(pa, sizeof(*h)) : 0;
		if (h && memcmp(h->sig, "APIC", 4) == 0) {
			*madt = pa;
			return 0;
		}
	}
	return fail(why, "no MADT in the root table", -UV_ENOENT);
}

/* Keeps an override for an ISA IRQ (bus 0, source 0-15), the first one per IRQ; counts the rest. */
static void add_override(struct acpi_info *a, const struct madt_override *o)
{
	if (o->bus != OVERRIDE_BUS_ISA || o->source >= ACPI_ISA_IRQS) {
		a->ignored++;
		return;
	}
	for (unsigned i = 0; i < a->n_overrides; i++)
		if (a->override[i].source == o->source) {
			a->ignored++; /* the first one for an IRQ holds */
			return;
		}
	/* At most one per ISA IRQ, so n_overrides < ACPI_ISA_IRQS here. */
	a->override[a->n_overrides++] = (struct acpi_override){ o->source, o->gsi, o->flags };
}

/* The entries used, by type: each has one length, else the MADT is malformed. */
static const struct {
	uint8_t length;
	const char *wrong_length;
} used[] = {
	[MADT_LAPIC] = { sizeof(struct madt_lapic), "a MADT local APIC entry is not 8 bytes" },
	[MADT_IOAPIC] = { sizeof(struct madt_ioapic), "a MADT IOAPIC entry is not 12 bytes" },
	[MADT_OVERRIDE] = { sizeof(struct madt_override), "a MADT interrupt source override is not 10 bytes" },
};

/* Parses the MADT's entries (t, len bytes, already checked as a table) into a. */
static int parse_madt(const uint8_t *t, uint32_t len, struct acpi_info *a, const char **why)
{
	if (len < sizeof(struct madt_fixed))
		return fail(why, "the MADT is shorter than its fixed part", -UV_EINVAL);
	/* Each entry is at least 2 bytes, so this ends within len / 2 rounds. */
	for (uint32_t off = sizeof(struct madt_fixed); off < len;) {
		struct madt_entry e;
		if (len - off < sizeof(e))
			return fail(why, "a MADT entry is cut off by the table's end", -UV_EINVAL);
		memcpy(&e, t + off, sizeof(e));
		if (e.length < sizeof(e) || e.length > len - off)
			return fail(why, "a MADT entry's length is below 2 or runs past the table", -UV_EINVAL);
		if (e.type < sizeof(used) / sizeof(used[0]) && e.length != used[e.type].length)
			return fail(why, used[e.type].wrong_length, -UV_EINVAL);
		union { struct madt_lapic lapic; struct madt_ioapic io; struct madt_override override; } u;
		memcpy(&u, t + off, e.length < sizeof(u) ? e.length : sizeof(u));
		if (e.type == MADT_LAPIC && (u.lapic.flags & LAPIC_ENABLED))
			a->n_lapics++;
		else if (e.type == MADT_IOAPIC && (a->n_ioapics == ACPI_MAX_IOAPICS || u.io.address == 0))
			a->ignored++;
		else if (e.type == MADT_IOAPIC)
			a->ioapic[a->n_ioapics++] = (struct acpi_ioapic){ u.io.id, u.io.address, u.io.gsi_base };
		else if (e.type == MADT_OVERRIDE)
			add_override(a, &u.override);
		/* other types (NMI sources, x2APIC entries, ...): not used */
		off += e.length;
	}
	return 0;
}

int acpi_parse(const uint8_t *rsdp, size_t rsdp_len, acpi_phys_fn phys, struct acpi_info *out, const char **why)
{
	struct rsdp r = { 0 };
	memset(out, 0, sizeof(*out));
	size_t n = boot_rsdp_size(rsdp, rsdp_len);
	if (!n)
		return fail(why, "the RSDP's signature, checksum, length or extended checksum is wrong", -UV_EINVAL);
	memcpy(&r, rsdp, n);
	out->revision = r.revision;
	bool have_xsdt = n == sizeof(r) && r.xsdt;
	if (!have_xsdt && !r.rsdt)
		return fail(why, "the RSDP names no RSDT or XSDT", -UV_ENOENT);
	uint64_t madt_pa = 0;
	int err = -UV_ENOENT;
	if (have_xsdt) {
		err = find_madt(phys, r.xsdt, XSDT_ENTRY, &madt_pa, why);
		out->from_xsdt = err == 0;
	}
	/* No XSDT, or one that is broken or lacks the MADT: the RSDT (Linux falls back so too). */
	if (err && r.rsdt)
		err = find_madt(phys, r.rsdt, RSDT_ENTRY, &madt_pa, why);
	if (err)
		return err;
	uint32_t len;
	const uint8_t *t;
	err = read_table(phys, madt_pa, "APIC", &t, &len, why);
	if (err)
		return err;
	out->madt_pa = madt_pa;
	return parse_madt(t, len, out, why);
}

void acpi_irq_route(const struct acpi_info *a, uint8_t irq, bool pci, uint32_t *gsi, bool *level, bool *active_low)
{
	*gsi = irq;
	*level = pci;
	*active_low = pci;
	for (unsigned i = 0; i < a->n_overrides && i < ACPI_ISA_IRQS; i++) {
		const struct acpi_override *o = &a->override[i];
		if (o->source != irq)
			continue;
		*gsi = o->gsi;
		if (INTI_TRIGGER(o->flags) == INTI_EDGE || INTI_TRIGGER(o->flags) == INTI_LEVEL)
			*level = INTI_TRIGGER(o->flags) == INTI_LEVEL;
		if (INTI_POLARITY(o->flags) == INTI_ACTIVE_HIGH || INTI_POLARITY(o->flags) == INTI_ACTIVE_LOW)
			*active_low = INTI_POLARITY(o->flags) == INTI_ACTIVE_LOW;
		return;
	}
}
