/* hv/svm/svm_decode.h: instruction lengths for exits without nRIP, and IOIO/NPF qualification decoding (pure, unit-tested). */
#ifndef HV_SVM_SVM_DECODE_H
#define HV_SVM_SVM_DECODE_H

#include <stddef.h>
#include <stdint.h>
#include "hv/hv.h"

/* Length of the instruction in bytes[0..n) if, after legacy and REX prefixes, it is
 * exactly `op` (op_len bytes); 0 when it is not (or runs past n / 15 bytes). */
unsigned svm_insn_len(const uint8_t *bytes, size_t n, const uint8_t *op, unsigned op_len);
/* Fills e->io from an IOIO EXITINFO1 (APM2 15.10.2). */
void svm_decode_ioio(uint64_t info1, struct hv_exit *e);
/* Fills e->mem from an NPF EXITINFO1/2 (APM2 15.25.6). */
void svm_decode_npf(uint64_t info1, uint64_t info2, struct hv_exit *e);

#endif
