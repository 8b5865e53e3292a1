/* kernel/dev/random.h: the kernel's random bytes: a ChaCha20 generator seeded from RDSEED/RDRAND (or timer jitter). */
#ifndef KERNEL_RANDOM_H
#define KERNEL_RANDOM_H

#include <stddef.h>
#include <stdint.h>

/* Seeds the generator; prints which source it used. */
void random_init(void);
/* Fills buf with n random bytes (fast key erasure: the key changes after each call). */
void random_bytes(void *buf, size_t n);
/* The ChaCha20 block function (RFC 8439 2.3), exposed for its unit test. */
void chacha20_block(const uint32_t key[8], uint32_t counter, const uint32_t nonce[3], uint8_t out[64]);

#endif
