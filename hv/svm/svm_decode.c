/* hv/svm/svm_decode.c: decodes what QEMU's SVM leaves to software (no nRIP) and the IOIO/NPF exit information. */
#include "hv/svm/svm_decode.h"
#include "hv/svm/svm_vmcb.h"

static int is_prefix(uint8_t b)
{
	switch (b) {
	case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65: /* segment overrides */
	case 0x66: case 0x67:                                             /* operand / address size */
	case 0xf0: case 0xf2: case 0xf3:                                  /* lock, rep */
		return 1;
	default:
		return 0;
	}
}

unsigned svm_insn_len(const uint8_t *bytes, size_t n, const uint8_t *op, unsigned op_len)
{
	size_t i = 0;
	if (n > 15)
		n = 15; /* SDM 2 2.3.11: at most 15 bytes */
	while (i < n && is_prefix(bytes[i]))
		i++;
	if (i < n && (bytes[i] & 0xf0) == 0x40) /* REX comes last, right before the opcode */
		i++;
	if (i + op_len > n)
		return 0;
	for (unsigned k = 0; k < op_len; k++)
		if (bytes[i + k] != op[k])
			return 0;
	return (unsigned)(i + op_len);
}

void svm_decode_ioio(uint64_t info1, struct hv_exit *e)
{
	e->io.port = (uint16_t)(info1 >> 16);
	e->io.write = !(info1 & SVM_IOIO_IN);
	e->io.string = (info1 & SVM_IOIO_STR) != 0;
	e->io.rep = (info1 & SVM_IOIO_REP) != 0;
	e->io.size = (info1 & SVM_IOIO_SZ32) ? 4 : (info1 & SVM_IOIO_SZ16) ? 2 : 1;
}

void svm_decode_npf(uint64_t info1, uint64_t info2, struct hv_exit *e)
{
	e->mem.gpa = info2;
	e->mem.gla_valid = false;
	e->mem.misconfig = false;
	if (info1 & SVM_NPF_ID)
		e->mem.access = PROT_X;
	else if (info1 & SVM_NPF_W)
		e->mem.access = PROT_W;
	else
		e->mem.access = PROT_R;
}
