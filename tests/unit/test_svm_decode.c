/* tests/unit/test_svm_decode.c: SVM instruction lengths without nRIP, and IOIO / NPF exit information decoding. */
#include <stdint.h>
#include "tests/unit/unit.h"
#include "hv/svm/svm_decode.h"
#include "hv/svm/svm_vmcb.h"

static const uint8_t vmmcall[] = { 0x0f, 0x01, 0xd9 }, cpuid_op[] = { 0x0f, 0xa2 }, hlt[] = { 0xf4 };

TEST(plain_lengths)
{
	uint8_t a[] = { 0x0f, 0x01, 0xd9, 0x90 };
	CHECK_EQ(svm_insn_len(a, sizeof(a), vmmcall, 3), 3);
	uint8_t b[] = { 0x0f, 0xa2 };
	CHECK_EQ(svm_insn_len(b, sizeof(b), cpuid_op, 2), 2);
	uint8_t c[] = { 0xf4 };
	CHECK_EQ(svm_insn_len(c, 1, hlt, 1), 1);
}

TEST(prefixes_and_rex_count)
{
	uint8_t a[] = { 0x66, 0x2e, 0x48, 0x0f, 0xa2 };
	CHECK_EQ(svm_insn_len(a, sizeof(a), cpuid_op, 2), 5);
	uint8_t b[] = { 0xf3, 0xf4 };
	CHECK_EQ(svm_insn_len(b, sizeof(b), hlt, 1), 2);
}

TEST(refuses_mismatch_truncation_and_overlong)
{
	uint8_t a[] = { 0x0f, 0x01, 0xc1 }; /* VMCALL is not VMMCALL */
	CHECK_EQ(svm_insn_len(a, sizeof(a), vmmcall, 3), 0);
	uint8_t b[] = { 0x0f, 0x01 };      /* cut short (page not present) */
	CHECK_EQ(svm_insn_len(b, sizeof(b), vmmcall, 3), 0);
	uint8_t c[20];
	memset(c, 0x66, sizeof(c));        /* 15 prefixes: longer than any instruction */
	c[15] = 0xf4;
	CHECK_EQ(svm_insn_len(c, sizeof(c), hlt, 1), 0);
	uint8_t d[] = { 0x48, 0x66, 0xf4 }; /* REX must come last */
	CHECK_EQ(svm_insn_len(d, sizeof(d), hlt, 1), 0);
	CHECK_EQ(svm_insn_len(a, 0, vmmcall, 3), 0);
}

TEST(ioio)
{
	struct hv_exit e;
	memset(&e, 0, sizeof(e));
	svm_decode_ioio((0x80ull << 16) | SVM_IOIO_SZ8, &e);
	CHECK(e.io.port == 0x80 && e.io.write && e.io.size == 1 && !e.io.string && !e.io.rep);
	svm_decode_ioio((0x64ull << 16) | SVM_IOIO_IN | SVM_IOIO_SZ16 | SVM_IOIO_STR | SVM_IOIO_REP, &e);
	CHECK(e.io.port == 0x64 && !e.io.write && e.io.size == 2 && e.io.string && e.io.rep);
	svm_decode_ioio((0xcf8ull << 16) | SVM_IOIO_SZ32 | (1u << 7) /* A16 */, &e);
	CHECK(e.io.port == 0xcf8 && e.io.size == 4);
}

TEST(npf)
{
	struct hv_exit e;
	svm_decode_npf(SVM_NPF_W | SVM_NPF_U | SVM_NPF_GUEST_FINAL, 0xfee000b0, &e);
	CHECK(e.mem.gpa == 0xfee000b0 && e.mem.access == PROT_W && !e.mem.misconfig);
	svm_decode_npf(SVM_NPF_U | SVM_NPF_GUEST_FINAL, 0x40000000, &e);
	CHECK(e.mem.access == PROT_R);
	svm_decode_npf(SVM_NPF_ID | SVM_NPF_P, 0x1000, &e);
	CHECK(e.mem.access == PROT_X);
}
