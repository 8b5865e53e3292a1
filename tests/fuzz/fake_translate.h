/* tests/fuzz/fake_translate.h: a fake VM whose guest-physical memory is one host buffer (for fuzzing hv/svm/svm_guestwalk.c). */
#ifndef TESTS_FUZZ_FAKE_TRANSLATE_H
#define TESTS_FUZZ_FAKE_TRANSLATE_H

#include <stdint.h>
#include "hv/hv_backend.h"

/* Guest-physical [0, size) is img[0, size), except the page `hole` (~0 = none), which is
 * not mapped; everything at or beyond size is not mapped either. size is a multiple of
 * 4 KiB, as every real mapping is. */
struct fake_vm {
	struct hv_vm common;
	uint8_t *img;
	uint64_t size;
	uint64_t hole;
	uint64_t translations; /* hv_vm_translate calls */
};

#endif
