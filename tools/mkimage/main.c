/* tools/mkimage/main.c: the mkimage command: config -> manifest.bin (make flow), or all the way to a bootable ELF and ISO. */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tools/mkimage/build.h"
#include "tools/mkimage/config.h"
#include "tools/mkimage/summary.h"
#include "tools/mkimage/config_flow.h"
#include "tools/mkimage/elfsym.h"

#define FILE_MAX (1ull << 30) /* largest ELF or config read */

static const char usage[] =
	"usage: mkimage --config FILE [--manifest FILE] [--deps FILE]\n"
	"       mkimage --config FILE --kernel OBJ [--kernel OBJ]... --out ELF [--iso ISO] [--cmdline TEXT]\n"
	"  --config FILE    the appliance config (config/README.md)\n"
	"  --manifest FILE  write the image manifest there (what the kernel embeds)\n"
	"  --deps FILE      write make dependencies of the manifest (config and app ELFs)\n"
	"  --hv-file FILE   write the config's hv choice there (both, vmx or svm): which kernel object to link\n"
	"  --kernel OBJ     object(s) to link the image from (build/kernel.o, or kernel-vmx.o / kernel-svm.o\n"
	"                   for hv = vmx / svm, and a self-test object); the linked ELF must carry those backends\n"
	"  --out ELF        write the bootable kernel ELF with the manifest embedded\n"
	"  --iso ISO        also write a GRUB ISO of it (tools/mkiso.sh)\n"
	"  --cmdline TEXT   the kernel command line in the ISO\n"
	"  --ldscript FILE  the kernel's linker script (default link/kernel.ld)\n"
	"  --summary        print what the image holds (apps, vNICs, ports, segments) on stdout\n"
	"Without --manifest or --out the config and ELFs are only checked, and the summary printed.\n";

/* Reads a whole regular file into a malloc'd buffer (NUL-terminated for convenience). */
static int read_file(void *ctx, const char *path, uint8_t **buf, size_t *len)
{
	(void)ctx;
	struct stat st;
	*buf = NULL;
	FILE *f = fopen(path, "rb");
	if (!f)
		return errno;
	int e = fstat(fileno(f), &st) ? errno : S_ISDIR(st.st_mode) ? EISDIR : !S_ISREG(st.st_mode) ? EINVAL
		: (uint64_t)st.st_size > FILE_MAX ? EFBIG : 0;
	if (e) {
		fclose(f);
		return e;
	}
	uint8_t *b = malloc((size_t)st.st_size + 1);
	if (!b) {
		fclose(f);
		return ENOMEM;
	}
	size_t n = fread(b, 1, (size_t)st.st_size, f);
	e = ferror(f) ? EIO : 0;
	fclose(f);
	if (e) {
		free(b);
		return e;
	}
	b[n] = 0;
	*buf = b;
	*len = n;
	return 0;
}

/* Writes [data, data+len) to path through a temporary file, so a failed run leaves no half file. */
static int write_file(const char *path, const void *data, size_t len)
{
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	FILE *f = fopen(tmp, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "mkimage: cannot write %s: %s\n", tmp, strerror(errno));
		return -1;
	}
	if (rename(tmp, path)) {
		fprintf(stderr, "mkimage: cannot rename %s to %s: %s\n", tmp, path, strerror(errno));
		return -1;
	}
	return 0;
}

/* A path as make reads it in a rule. */
static void put_make_path(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == ' ' || *s == '#' || *s == '\\')
			fputc('\\', f);
		if (*s == '$')
			fputc('$', f);
		fputc(*s, f);
	}
}

static int write_deps(const char *path, const char *target, const struct config *c)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "mkimage: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	put_make_path(f, target);
	fputs(":", f);
	for (unsigned i = 0; i < c->n_apps; i++) {
		fputc(' ', f);
		put_make_path(f, c->apps[i].elf);
	}
	fputc('\n', f);
	for (unsigned i = 0; i < c->n_apps; i++) {
		put_make_path(f, c->apps[i].elf);
		fputs(":\n", f);
	}
	return fclose(f) ? -1 : 0;
}

/* Runs argv[0] with argv; returns 0 when it exited with status 0. */
static int run(char *const argv[])
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "mkimage: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	int st;
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) {
		fprintf(stderr, "mkimage: %s failed\n", argv[0]);
		return -1;
	}
	return 0;
}

/* The linked image carries the backends its config asks for, and no other: a kernel object of
 * the wrong build (kernel.o for hv = vmx, say) would ship code the appliance said it leaves out. */
static int check_backends(const char *elf, enum cfg_hv hv)
{
	uint8_t *buf;
	size_t len, n;
	struct elf_sym_entry *syms;
	char why[256];
	int e = read_file(NULL, elf, &buf, &len);
	if (e || elf_symbols(buf, len, &syms, &n, why, sizeof(why))) {
		fprintf(stderr, "mkimage: %s: cannot read its symbols: %s\n", elf, e ? strerror(e) : why);
		free(buf);
		unlink(elf);
		return -1;
	}
	bool vmx = false, svm = false;
	for (size_t i = 0; i < n; i++) {
		vmx |= !strcmp(syms[i].name, "hv_vmx_backend");
		svm |= !strcmp(syms[i].name, "hv_svm_backend");
	}
	free(syms);
	free(buf);
	bool want_vmx = hv != CFG_HV_SVM, want_svm = hv != CFG_HV_VMX;
	if (vmx == want_vmx && svm == want_svm)
		return 0;
	fprintf(stderr, "mkimage: %s: the config says hv = %s, but the kernel objects carry %s (link %s)\n", elf,
		config_hv_name(hv), vmx && svm ? "both backends" : vmx ? "only the VMX backend" : svm ? "only the SVM backend"
		: "no backend", hv == CFG_HV_VMX ? "build/kernel-vmx.o" : hv == CFG_HV_SVM ? "build/kernel-svm.o" : "build/kernel.o");
	unlink(elf);
	return -1;
}

/* The all-in-one mode: manifest -> payload object -> linked ELF -> ISO, as kernel/kernel.mk does. */
static int link_image(const char *manifest, char **kernels, int n_kernels, const char *ldscript, const char *out,
		      const char *iso, const char *cmdline, enum cfg_hv hv)
{
	char asm_path[4096], obj_path[4096];
	snprintf(asm_path, sizeof(asm_path), "%s.payload.S", out);
	snprintf(obj_path, sizeof(obj_path), "%s.payload.o", out);
	FILE *f = fopen(asm_path, "w");
	if (!f)
		return -1;
	fprintf(f, "\t.section .uv_payload, \"a\"\n\t.balign 16\n\t.incbin \"%s\"\n"
		   "\t.section .note.GNU-stack, \"\", @progbits\n", manifest);
	if (fclose(f))
		return -1;
	char *cc[] = { "gcc", "-c", asm_path, "-o", obj_path, NULL };
	if (run(cc))
		return -1;
	char *ld[32] = { "ld", "-nostdlib", "-static", "-no-pie", "-z", "max-page-size=4096", "-z", "noexecstack",
			 "--no-warn-rwx-segments", "-T", (char *)ldscript, "-o", (char *)out };
	int n = 13;
	for (int i = 0; i < n_kernels && n < 30; i++)
		ld[n++] = kernels[i];
	ld[n++] = obj_path;
	ld[n] = NULL;
	if (run(ld))
		return -1;
	unlink(asm_path);
	unlink(obj_path);
	if (check_backends(out, hv)) {
		if (iso)
			unlink(iso); /* an earlier run's ISO is not this config's image */
		return -1;
	}
	if (iso) {
		char *mk[] = { "tools/mkiso.sh", (char *)out, (char *)iso, (char *)(cmdline ? cmdline : ""), NULL };
		if (run(mk))
			return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *config = NULL, *manifest = NULL, *deps = NULL, *out = NULL, *iso = NULL, *cmdline = NULL, *hv_file = NULL;
	const char *ldscript = "link/kernel.ld";
	char *kernels[16];
	int n_kernels = 0, summary = 0;
	static const struct option opts[] = {
		{ "config", 1, 0, 'c' }, { "manifest", 1, 0, 'm' }, { "deps", 1, 0, 'd' },  { "kernel", 1, 0, 'k' },
		{ "out", 1, 0, 'o' },    { "iso", 1, 0, 'i' },      { "cmdline", 1, 0, 'l' }, { "ldscript", 1, 0, 'T' },
		{ "help", 0, 0, 'h' },   { "summary", 0, 0, 's' }, { "hv-file", 1, 0, 'H' }, { 0, 0, 0, 0 },
	};
	int o;
	while ((o = getopt_long(argc, argv, "c:m:d:k:o:i:l:T:hsH:", opts, NULL)) != -1) {
		switch (o) {
		case 'c': config = optarg; break;
		case 'm': manifest = optarg; break;
		case 'd': deps = optarg; break;
		case 'H': hv_file = optarg; break;
		case 'k':
			if (n_kernels == 16) {
				fprintf(stderr, "mkimage: too many --kernel objects\n");
				return 2;
			}
			kernels[n_kernels++] = optarg;
			break;
		case 'o': out = optarg; break;
		case 'i': iso = optarg; break;
		case 'l': cmdline = optarg; break;
		case 'T': ldscript = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		case 's': summary = 1; break;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (!config || optind != argc || (out && !n_kernels) || ((n_kernels || iso) && !out) || (deps && !manifest)) {
		fputs(usage, stderr);
		return 2;
	}

	uint8_t *text;
	size_t len;
	int e = read_file(NULL, config, &text, &len);
	if (e || len > (1u << 20)) {
		fprintf(stderr, "%s: cannot read the config: %s\n", config, e ? strerror(e) : "larger than 1 MiB");
		return 1;
	}
	static struct config cfg;
	char err[1024];
	uint8_t *m;
	size_t mlen;
	if (config_parse(config, (const char *)text, len, &cfg, err, sizeof(err)) ||
	    manifest_build(&cfg, read_file, NULL, &m, &mlen, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	free(text);
	for (unsigned i = 0; i < cfg.n_warnings && i < CFG_WARN_MAX; i++)
		fprintf(stderr, "%s\n", cfg.warnings[i]);
	if (cfg.n_warnings > CFG_WARN_MAX)
		fprintf(stderr, "%s: %u more warnings\n", config, cfg.n_warnings - CFG_WARN_MAX);
	if (summary || (!manifest && !out)) {
		manifest_summary(stdout, m);
		printf("  hv: %s\n", cfg.hv == CFG_HV_VMX ? "vmx (the kernel carries only the Intel VMX backend)"
			: cfg.hv == CFG_HV_SVM ? "svm (the kernel carries only the AMD SVM backend)" : "both (VMX and SVM)");
		flow_print(stdout, &cfg);
	}
	if (manifest && (write_file(manifest, m, mlen) || (deps && write_deps(deps, manifest, &cfg))))
		return 1;
	if (hv_file) {
		const char *w = config_hv_name(cfg.hv);
		if (write_file(hv_file, (const uint8_t *)w, strlen(w)))
			return 1;
	}
	if (out) {
		char path[4096];
		snprintf(path, sizeof(path), "%s.manifest.bin", out);
		if (write_file(path, m, mlen) || link_image(path, kernels, n_kernels, ldscript, out, iso, cmdline, cfg.hv))
			return 1;
	}
	free(m);
	return 0;
}
