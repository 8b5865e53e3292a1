/* libos/start.c: from crt0 to main: checks the boot-info page, sets up the heap and argv, runs constructors. */
#include <stdlib.h>
#include <unistd.h>
#include <cpuid.h>
#include "libos.h"

int main(int argc, char **argv);
void __libc_init_array(void);
void __libc_fini_array(void);
extern char _end[]; /* link/app.ld: the end of the image */

#define STR_(x) #x
#define STR(x) STR_(x)

const struct uv_boot_info *__uv_bi;
uint32_t __uv_hc_insn = UV_HC_INSN_VMCALL;
void *__dso_handle = &__dso_handle; /* for C++ static destructors (__cxa_atexit) */

const struct uv_boot_info *uv_boot_info(void)
{
	return __uv_bi;
}

/* VMCALL or VMMCALL when the boot-info page can't be trusted: from the CPU vendor. */
static uint32_t hc_insn_from_cpuid(void)
{
	unsigned a, b, c, d;

	__cpuid(0, a, b, c, d);
	/* "AuthenticAMD" / "HygonGenuine": EBX "Auth" / "Hygo" */
	return (b == 0x68747541 || b == 0x6f677948) ? UV_HC_INSN_VMMCALL : UV_HC_INSN_VMCALL;
}

static void hex64(char *out, uint64_t v)
{
	for (int i = 15; i >= 0; i--, v >>= 4)
		out[i] = "0123456789abcdef"[v & 15];
	out[16] = '\0';
}

/* Reports a boot-info problem on the console and stops the app (status 127). */
__attribute__((noreturn)) static void bad_boot(const char *what, uint64_t value)
{
	char hex[17];

	hex64(hex, value);
	__uv_console_puts("libos: cannot start: ");
	__uv_console_puts(what);
	__uv_console_puts(" (0x");
	__uv_console_puts(hex);
	__uv_console_puts(")\n");
	_exit(127);
}

/*
 * Called by crt0 with the boot-info page. Validates it (magic, ABI major, heap and
 * args) before using any of it, then runs the C runtime and main; never returns.
 * Referencing _exit here pulls libos's sys_exit.o (with abort) in before libc.a is searched,
 * so libos's abort, not newlib's, is the one linked.
 */
__attribute__((noreturn)) void __uv_start(const struct uv_boot_info *bi)
{
	uintptr_t heap_start, heap_end;
	char **argv, *strs;
	intptr_t strs_size;

	__uv_hc_insn = hc_insn_from_cpuid();
	/* The kernel passes UV_GUEST_BOOTINFO; any page-aligned address is accepted (a test passes its own). */
	if (bi == NULL || ((uintptr_t)bi & (UV_PAGE_SIZE - 1)))
		bad_boot("no page-aligned boot-info page in RDI", (uintptr_t)bi);
	if (bi->magic != UV_BOOT_INFO_MAGIC)
		bad_boot("bad boot-info magic", bi->magic);
	if (bi->hc_insn == UV_HC_INSN_VMCALL || bi->hc_insn == UV_HC_INSN_VMMCALL)
		__uv_hc_insn = bi->hc_insn;
	else
		bad_boot("unknown hypercall instruction in boot info", bi->hc_insn);
	if (bi->abi_version >> 16 != UV_ABI_VERSION_MAJOR)
		bad_boot("kernel ABI major differs from libos's " STR(UV_ABI_VERSION_MAJOR), bi->abi_version);
	__uv_bi = bi;

	if (uv_heap_range(bi, (uintptr_t)_end, &heap_start, &heap_end) < 0)
		bad_boot("boot info describes no heap", bi->heap_end);
	__uv_heap_init(heap_start, heap_end);

	/* argv: the strings are copied out of the read-only page (C says they are modifiable). */
	if (bi->args_off != UV_BOOT_INFO_ARGS_OFF || bi->argc == 0 ||
	    uv_args_check((const char *)bi + bi->args_off, bi->args_len, bi->argc) < 0)
		bad_boot("malformed argument area in boot info", bi->args_len);
	strs_size = (intptr_t)((bi->args_len + 7) & ~7u);
	strs = sbrk(strs_size + ((intptr_t)bi->argc + 1) * (intptr_t)sizeof(char *));
	if (strs == (char *)-1)
		bad_boot("heap too small for the arguments", bi->args_len);
	argv = (char **)(void *)(strs + strs_size);
	uv_args_build((const char *)bi + bi->args_off, bi->args_len, bi->argc, strs, argv);

	atexit(__libc_fini_array);
	__libc_init_array();
	exit(main((int)bi->argc, argv));
}
