/* tests/apps/libc-test/boot.c: argv from the config, the boot-info page, constructors, the version hypercall. */
#include <string.h>
#include <univisor.h>
#include "check.h"

/* What tests/boot/libc.conf gives this app: `args = alpha "two words" x=1`. */
static const char *const want_argv[] = { "libc-test", "alpha", "two words", "x=1" };
#define WANT_ARGC (int)(sizeof(want_argv) / sizeof(want_argv[0]))

static int g_argc;
static char **g_argv;
static int ctor_ran;

__attribute__((constructor)) static void ctor(void)
{
	ctor_ran = 42;
}

static const char *check_argv(void)
{
	if (g_argc != WANT_ARGC)
		return FAILF("argc %d, want %d", g_argc, WANT_ARGC);
	for (int i = 0; i < WANT_ARGC; i++)
		if (strcmp(g_argv[i], want_argv[i]))
			return FAILF("argv[%d] \"%s\", want \"%s\"", i, g_argv[i], want_argv[i]);
	if (g_argv[g_argc] != NULL)
		return "argv[argc] is not NULL";
	g_argv[1][0] = 'A'; /* C: the strings are modifiable */
	if (strcmp(g_argv[1], "Alpha"))
		return "argv string not writable";
	return NULL;
}

static const char *check_bootinfo(void)
{
	const struct uv_boot_info *bi = uv_boot_info();
	uintptr_t stack = (uintptr_t)&bi;

	if (bi->magic != UV_BOOT_INFO_MAGIC || bi->abi_version >> 16 != UV_ABI_VERSION_MAJOR)
		return FAILF("magic %#llx abi %#x", (unsigned long long)bi->magic, bi->abi_version);
	if (strcmp(bi->name, "libc-test"))
		return FAILF("name \"%s\"", bi->name);
	if (!(bi->heap_start < bi->heap_end && bi->heap_end < bi->stack_bottom && bi->stack_bottom < bi->stack_top &&
	      bi->stack_top <= bi->mem_size))
		return FAILF("layout heap [%#llx, %#llx) stack [%#llx, %#llx) mem %#llx",
			     (unsigned long long)bi->heap_start, (unsigned long long)bi->heap_end,
			     (unsigned long long)bi->stack_bottom, (unsigned long long)bi->stack_top,
			     (unsigned long long)bi->mem_size);
	if (stack < bi->stack_bottom || stack >= bi->stack_top)
		return FAILF("running on %#lx, outside the stack", (unsigned long)stack);
	return NULL;
}

static const char *check_version(void)
{
	long v = uv_hc_version();

	if (v != (long)uv_boot_info()->abi_version)
		return FAILF("version hypercall %#lx, boot info %#x", v, uv_boot_info()->abi_version);
	return NULL;
}

static const char *check_ctor(void)
{
	return ctor_ran == 42 ? NULL : "constructor did not run before main";
}

void checks_boot(int argc, char **argv)
{
	g_argc = argc;
	g_argv = argv;
	check_run("argv", check_argv);
	check_run("boot-info", check_bootinfo);
	check_run("version-hypercall", check_version);
	check_run("constructor", check_ctor);
}
