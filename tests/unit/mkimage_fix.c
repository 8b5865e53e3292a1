/* tests/unit/mkimage_fix.c: the mkimage tests' fixture: in-memory ELF files, config text -> manifest in one call. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "tests/unit/mkimage_fix.h"
#include "tools/mkimage/build.h"

struct mk_file mk_files[2];
struct config mk_cfg;
char mk_err[1024];

int mk_load(void *ctx, const char *path, uint8_t **buf, size_t *len)
{
	(void)ctx;
	int which = !strcmp(path, "a.elf") ? 0 : !strcmp(path, "b.elf") ? 1 : -1;
	if (which < 0 || !mk_files[which].data)
		return ENOENT;
	size_t n = mk_files[which].len;
	*buf = malloc(n ? n : 1);
	memcpy(*buf, mk_files[which].data, n);
	*len = n;
	return 0;
}

void mk_set_elf(int which, const struct gen_elf *g)
{
	free(mk_files[which].data);
	mk_files[which].len = gen_build(g, &mk_files[which].data);
}

void mk_default_elfs(void)
{
	struct gen_elf g;
	gen_default(&g);
	mk_set_elf(0, &g);
	mk_set_elf(1, &g);
}

const char *mk_build(const char *conf, uint8_t **m, size_t *mlen)
{
	uint8_t *dummy;
	size_t dlen;
	mk_err[0] = 0;
	if (config_parse("t.conf", conf, strlen(conf), &mk_cfg, mk_err, sizeof(mk_err)))
		return mk_err;
	if (manifest_build(&mk_cfg, mk_load, NULL, m ? m : &dummy, mlen ? mlen : &dlen, mk_err, sizeof(mk_err)))
		return mk_err;
	if (!m)
		free(dummy);
	return "";
}
