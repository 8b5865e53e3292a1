/* tests/apps/libc-exits/exits.c: the ways an app ends early: abort(), raise(), and libos refusing a bad boot-info page. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <univisor.h>

/* libos/start.c's entry from crt0 (not public API). */
__attribute__((noreturn)) void __uv_start(const struct uv_boot_info *bi);

static union {
	struct uv_boot_info bi;
	char page[UV_PAGE_SIZE];
} fake __attribute__((aligned(UV_PAGE_SIZE)));

/*
 * argv[1] says what to do: abort (status 134), raise (SIGTERM: 143), or restart libos's
 * startup on a copy of the boot-info page with a broken magic, abi or args area (libos
 * must print why and exit with 127).
 */
int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";

	printf("libc-exits: %s\n", what);
	if (!strcmp(what, "abort"))
		abort();
	if (!strcmp(what, "raise")) {
		raise(SIGTERM);
		printf("libc-exits: FAIL: raise returned\n");
		return 1;
	}
	memcpy(fake.page, uv_boot_info(), sizeof(fake.page));
	if (!strcmp(what, "magic"))
		fake.bi.magic ^= 1;
	else if (!strcmp(what, "abi"))
		fake.bi.abi_version += 1u << 16;
	else if (!strcmp(what, "args"))
		fake.page[fake.bi.args_off + fake.bi.args_len - 1] = 'x'; /* last string unterminated */
	else {
		printf("libc-exits: FAIL: argument must be abort, raise, magic, abi or args\n");
		return 1;
	}
	fflush(stdout);
	__uv_start(&fake.bi);
}
