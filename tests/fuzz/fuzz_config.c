/* tests/fuzz/fuzz_config.c: libFuzzer target: config text -> parser -> manifest builder; errors must be file:line, successes must pass manifest_check. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests/unit/elfgen.h"
#include "tools/mkimage/build.h"
#include "tools/mkimage/config.h"
#include "kernel/app/manifest.h"

static uint8_t *elf;
static size_t elf_len;

/* Every path is the same small valid ELF (with the console_write stub), except "missing*". */
static int load(void *ctx, const char *path, uint8_t **buf, size_t *len)
{
	(void)ctx;
	if (!strncmp(path, "missing", 7))
		return ENOENT;
	*buf = malloc(elf_len);
	memcpy(*buf, elf, elf_len);
	*len = elf_len;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct config cfg;
	char err[1024];
	if (!elf) {
		struct gen_elf g;
		gen_default(&g);
		gen_add_sym(&g, "uv_hc_console_write", 0x200100, 8, 2);
		elf_len = gen_build(&g, &elf);
	}
	if (config_parse("f.conf", (const char *)data, size, &cfg, err, sizeof(err))) {
		unsigned line;
		char colon;
		if (sscanf(err, "f.conf:%u%c", &line, &colon) != 2 || colon != ':' || line == 0)
			abort(); /* every error says file:line */
		return 0;
	}
	uint8_t *m;
	size_t mlen;
	if (manifest_build(&cfg, load, NULL, &m, &mlen, err, sizeof(err))) {
		if (strncmp(err, "f.conf:", 7) || strstr(err, "fails the kernel's check"))
			abort(); /* mkimage let through what the kernel refuses */
		return 0;
	}
	struct manifest_error me;
	if (manifest_check(m, mlen, &me))
		abort();
	free(m);
	return 0;
}
