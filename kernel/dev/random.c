/* kernel/dev/random.c: ChaCha20-based random generator (RFC 8439 block function) with hardware or jitter seeding. */
#include "kernel/dev/random.h"
#include "kernel/lib/kstring.h"
#ifndef UV_HOST
#include "kernel/console/console.h"
#include "kernel/arch/cpu.h"
#include "kernel/arch/cpufeature.h"
#endif

#define ROTL(x, n) (((x) << (n)) | ((x) >> (32 - (n))))
#define QR(a, b, c, d)                                  \
	do {                                            \
		a += b; d ^= a; d = ROTL(d, 16);        \
		c += d; b ^= c; b = ROTL(b, 12);        \
		a += b; d ^= a; d = ROTL(d, 8);         \
		c += d; b ^= c; b = ROTL(b, 7);         \
	} while (0)

void chacha20_block(const uint32_t key[8], uint32_t counter, const uint32_t nonce[3], uint8_t out[64])
{
	uint32_t s[16] = { 0x61707865, 0x3320646e, 0x79622d32, 0x6b206574 }, x[16];
	memcpy(&s[4], key, 8 * sizeof(uint32_t));
	s[12] = counter;
	memcpy(&s[13], nonce, 3 * sizeof(uint32_t));
	memcpy(x, s, sizeof(x));
	for (int i = 0; i < 10; i++) {
		QR(x[0], x[4], x[8], x[12]);
		QR(x[1], x[5], x[9], x[13]);
		QR(x[2], x[6], x[10], x[14]);
		QR(x[3], x[7], x[11], x[15]);
		QR(x[0], x[5], x[10], x[15]);
		QR(x[1], x[6], x[11], x[12]);
		QR(x[2], x[7], x[8], x[13]);
		QR(x[3], x[4], x[9], x[14]);
	}
	for (int i = 0; i < 16; i++)
		x[i] += s[i];
	memcpy(out, x, 64); /* the words little-endian (RFC 8439 2.3), as x86 stores them */
}

#ifndef UV_HOST
static uint32_t key[8];
static uint32_t nonce[3];

static int hw_rand64(uint64_t *v, int use_seed)
{
	for (int tries = 0; tries < 32; tries++) {
		uint8_t ok;
		if (use_seed)
			__asm__ volatile("rdseed %0; setc %1" : "=r"(*v), "=qm"(ok));
		else
			__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
		if (ok)
			return 1;
		cpu_relax();
	}
	return 0;
}

/* Mixes 64 more bits into the key: from RDSEED/RDRAND, else from TSC jitter. */
static const char *stir(void)
{
	uint32_t a, b, c, d;
	uint64_t v[4] = { 0 };
	const char *src = "timer jitter (weak: no RDSEED/RDRAND on this CPU)";
	cpuid_leaf(7, &a, &b, &c, &d);
	int has_seed = (b & CPUID_7_EBX_RDSEED) != 0;
	cpuid(1, &a, &b, &c, &d);
	int has_rand = (c & CPUID_1_ECX_RDRAND) != 0;
	for (int i = 0; i < 4; i++) {
		if (has_seed && hw_rand64(&v[i], 1))
			src = "RDSEED";
		else if (has_rand && hw_rand64(&v[i], 0))
			src = has_seed ? "RDSEED/RDRAND" : "RDRAND";
		else {
			/* Jitter: the low bits of TSC deltas across port reads. */
			for (int k = 0; k < 64; k++) {
				uint64_t t0 = rdtsc();
				inb(0x61);
				v[i] = (v[i] << 1 | v[i] >> 63) ^ (rdtsc() - t0) ^ t0;
			}
		}
	}
	for (int i = 0; i < 4; i++) {
		key[2 * i] ^= (uint32_t)v[i];
		key[2 * i + 1] ^= (uint32_t)(v[i] >> 32);
	}
	return src;
}

void random_init(void)
{
	kprintf("random: ChaCha20 generator seeded from %s\n", stir());
}

void random_bytes(void *buf, size_t n)
{
	uint8_t block[64];
	uint8_t *out = buf;
	uint32_t counter = 1;
	stir(); /* fresh hardware entropy (or jitter) each call */
	while (n) {
		chacha20_block(key, counter++, nonce, block);
		size_t k = n < 64 ? n : 64;
		memcpy(out, block, k);
		out += k;
		n -= k;
	}
	/* Fast key erasure: block 0 becomes the next key, so past outputs can't be recomputed. */
	chacha20_block(key, 0, nonce, block);
	memcpy(key, block, sizeof(key));
	nonce[0]++;
	memset(block, 0, sizeof(block));
}
#endif
