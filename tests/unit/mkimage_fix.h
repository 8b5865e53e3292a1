/* tests/unit/mkimage_fix.h: the fixture of the mkimage tests: in-memory app ELFs and one call from config text to manifest. */
#ifndef TESTS_UNIT_MKIMAGE_FIX_H
#define TESTS_UNIT_MKIMAGE_FIX_H

#include <stddef.h>
#include <stdint.h>
#include "tests/unit/elfgen.h"
#include "tools/mkimage/config.h"

/* The "files" mk_load hands mkimage: [0] is a.elf, [1] is b.elf; any other path is missing. */
struct mk_file {
	uint8_t *data;
	size_t len;
};
extern struct mk_file mk_files[2];
extern struct config mk_cfg;  /* the last config mk_build parsed */
extern char mk_err[1024];

/* The mkimage_loader over mk_files: a copy of the file, or ENOENT. */
int mk_load(void *ctx, const char *path, uint8_t **buf, size_t *len);

/* Makes mk_files[which] the ELF g describes. */
void mk_set_elf(int which, const struct gen_elf *g);

/* Makes both files the generator's default ELF (no stubs). */
void mk_default_elfs(void);

/*
 * Parses conf as "t.conf" and builds its manifest into *m (malloc'd, *mlen bytes; the
 * caller frees it) or, with m NULL, throws it away. Returns "" or the error.
 */
const char *mk_build(const char *conf, uint8_t **m, size_t *mlen);

#endif
