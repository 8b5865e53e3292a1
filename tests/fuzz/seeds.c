/* tests/fuzz/seeds.c: writes binary seeds for fuzz_manifest (valid ELFs and manifests) into a directory: seeds DIR. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests/unit/elfgen.h"
#include "tools/mkimage/build.h"
#include "tools/mkimage/config.h"

static uint8_t *elf;
static size_t elf_len;

static int load(void *ctx, const char *path, uint8_t **buf, size_t *len)
{
	(void)ctx;
	(void)path;
	*buf = malloc(elf_len);
	memcpy(*buf, elf, elf_len);
	*len = elf_len;
	return 0;
}

static int put(const char *dir, const char *name, const void *p, size_t n)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f)) {
		perror(path);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const char *const confs[] = {
		"[appliance]\nname = s\n[app a]\nelf = a\nmemory = 4M\ngrants = console\n",
		"[appliance]\nname = s\n[app a]\nelf = a\nmemory = 4M\nstack = 8K\nargs = x \"y z\"\ngrants = console clock\n"
		"restart = always\n[app b]\nelf = b\nmemory = 8M\ngrants = console random\nexceptions = guest\n",
		/* The network: both drivers, bridged and internal segments, every vNIC option, granted or not. */
		"[appliance]\nname = s\n[port wan]\ndriver = e1000\n[port lan]\ndriver = virtio-net\nindex = 1\n"
		"[segment outside]\nport = wan\n[segment inside]\nport = lan\n[segment dmz]\n"
		"[app fw]\nelf = a\nmemory = 4M\nnic = out segment=outside promisc any-src\n"
		"nic = in segment=inside mac=52:54:00:00:00:02 queue=128\nnic = d segment=dmz queue=1\n"
		"grants = console net:out net:in net:d\n"
		"[app web]\nelf = b\nmemory = 4M\nnic = eth0 segment=dmz mac=02:00:00:00:00:09 queue=1024\n"
		"nic = spare segment=inside\ngrants = console net:eth0\n",
		/* One app, one internal segment, one vNIC. */
		"[appliance]\nname = s\n[segment lan]\n[app a]\nelf = a\nmemory = 4M\nnic = n0 segment=lan\n"
		"grants = console net:n0\n",
	};
	static struct config cfg;
	char err[1024], name[32];
	if (argc != 2) {
		fprintf(stderr, "usage: seeds DIR\n");
		return 2;
	}
	struct gen_elf g;
	gen_default(&g);
	gen_add_sym(&g, "uv_hc_console_write", 0x200100, 8, 2);
	elf_len = gen_build(&g, &elf);
	int bad = put(argv[1], "elf-default", elf, elf_len);
	for (size_t i = 0; i < sizeof(confs) / sizeof(confs[0]); i++) {
		uint8_t *m;
		size_t n;
		if (config_parse("seed.conf", confs[i], strlen(confs[i]), &cfg, err, sizeof(err)) ||
		    manifest_build(&cfg, load, NULL, &m, &n, err, sizeof(err))) {
			fprintf(stderr, "%s\n", err);
			return 1;
		}
		snprintf(name, sizeof(name), "manifest-%zu", i);
		bad |= put(argv[1], name, m, n);
		free(m);
	}
	return bad;
}
