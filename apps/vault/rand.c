/* apps/vault/rand.c: libsodium's random bytes from the kernel's random hypercall (RDSEED/RDRAND), through libos's getentropy. */
#include <stdlib.h>
#include <unistd.h>
#include <sodium.h>
#include "vault.h"

static const char *name(void) { return "univisor-random-hypercall"; }

/* No weak fallback: without random bytes the vault must not make a key. */
static void fill(void *const buf, const size_t size)
{
	if (getentropy(buf, size))
		abort();
}

static uint32_t one(void)
{
	uint32_t v;
	fill(&v, sizeof(v));
	return v;
}

static randombytes_implementation hypercall_random = { name, one, NULL, NULL, fill, NULL };

int vault_crypto_init(void)
{
	/* Before sodium_init: its default source needs /dev/urandom, which an app has not. */
	if (randombytes_set_implementation(&hypercall_random))
		return -1;
	return sodium_init() < 0 ? -1 : 0;
}
