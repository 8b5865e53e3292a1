/* tests/fuzz/fuzz_svm_decode.c: libFuzzer target: hv/svm/svm_decode.c (instruction lengths without nRIP, IOIO and NPF decoding) against a reference. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "hv/svm/svm_decode.h"
#include "hv/svm/svm_vmcb.h"

/*
 * Input: [0] which opcode (mod 4), [1..16] EXITINFO1 and EXITINFO2 for the IOIO/NPF
 * decoders, then the instruction bytes: all of them are avail (0 to any length), so
 * the decoder gets a buffer of exactly avail bytes and ASan sees any read past it.
 */
static const struct {
	uint8_t op[3];
	unsigned len;
} ops[4] = {
	{ { 0x0f, 0x01, 0xd9 }, 3 }, /* VMMCALL */
	{ { 0x0f, 0xa2 }, 2 },       /* CPUID */
	{ { 0xf4 }, 1 },             /* HLT */
	{ { 0x0f, 0x01, 0xd1 }, 3 }, /* XSETBV */
};

/* The legacy prefixes of SDM 2 2.1.1: groups 1 (lock, rep), 2 (segments), 3, 4 (sizes). */
static bool legacy_prefix(uint8_t b)
{
	static const uint8_t list[] = { 0xf0, 0xf2, 0xf3, 0x2e, 0x36, 0x3e, 0x26, 0x64, 0x65, 0x66, 0x67 };
	return memchr(list, b, sizeof(list)) != NULL;
}

/* Reference: the length of "legacy prefixes, at most one REX right before the opcode,
 * the opcode" at bytes[0..avail), within 15 bytes; 0 when the bytes are not that. */
static unsigned ref_len(const uint8_t *b, size_t avail, const uint8_t *op, unsigned op_len)
{
	size_t limit = avail < 15 ? avail : 15;
	for (size_t k = 0; k + op_len <= limit; k++) {
		/* Is bytes[0..k) a prefix sequence and bytes[k..) the opcode? */
		bool prefixes = true;
		for (size_t j = 0; j < k && prefixes; j++)
			prefixes = legacy_prefix(b[j]) || (j == k - 1 && (b[j] >> 4) == 4);
		if (prefixes && !memcmp(b + k, op, op_len))
			return (unsigned)(k + op_len);
		if (!prefixes)
			break;
	}
	return 0;
}

static void check_insn_len(const uint8_t *data, size_t avail, unsigned which)
{
	uint8_t *b = malloc(avail);
	memcpy(b, data, avail);
	const uint8_t *op = ops[which].op;
	unsigned op_len = ops[which].len;
	unsigned len = svm_insn_len(b, avail, op, op_len);
	if (len) {
		if (len < op_len || len > 15 || len > avail)
			abort();
		if (memcmp(b + len - op_len, op, op_len))
			abort(); /* does not end in the opcode */
		for (unsigned j = 0; j < len - op_len; j++)
			if (!legacy_prefix(b[j]) && !(j == len - op_len - 1 && (b[j] >> 4) == 4))
				abort(); /* something other than prefixes before it */
	}
	if (len != ref_len(b, avail, op, op_len))
		abort();
	free(b);
}

static void check_ioio(uint64_t info1)
{
	struct hv_exit e;
	memset(&e, 0xa5, sizeof(e));
	struct hv_exit before = e;
	svm_decode_ioio(info1, &e);
	unsigned size = (info1 & SVM_IOIO_SZ32) ? 4 : (info1 & SVM_IOIO_SZ16) ? 2 : 1;
	if (e.io.port != (uint16_t)(info1 >> 16) || e.io.write != !(info1 & SVM_IOIO_IN) ||
	    e.io.string != !!(info1 & SVM_IOIO_STR) || e.io.rep != !!(info1 & SVM_IOIO_REP) || e.io.size != size)
		abort();
	if (e.reason != before.reason || e.rip != before.rip || e.vendor_code != before.vendor_code)
		abort(); /* only the io member is the decoder's */
}

static void check_npf(uint64_t info1, uint64_t info2)
{
	struct hv_exit e;
	memset(&e, 0xa5, sizeof(e));
	struct hv_exit before = e;
	svm_decode_npf(info1, info2, &e);
	unsigned access = (info1 & SVM_NPF_ID) ? PROT_X : (info1 & SVM_NPF_W) ? PROT_W : PROT_R;
	if (e.mem.gpa != info2 || e.mem.access != access || e.mem.gla_valid || e.mem.misconfig)
		abort();
	if (e.reason != before.reason || e.rip != before.rip || e.vendor_code != before.vendor_code)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 17)
		return 0;
	uint64_t info1, info2;
	memcpy(&info1, data + 1, 8);
	memcpy(&info2, data + 9, 8);
	check_insn_len(data + 17, size - 17, data[0] % 4);
	/* Every opcode over the same bytes, and every shorter avail: a truncated fetch. */
	for (unsigned w = 0; w < 4; w++)
		for (size_t n = 0; n <= size - 17 && n <= 17; n++)
			check_insn_len(data + 17, n, w);
	check_ioio(info1);
	check_npf(info1, info2);
	return 0;
}
