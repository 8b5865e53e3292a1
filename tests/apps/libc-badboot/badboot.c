/* tests/apps/libc-badboot/badboot.c: restarts libos's startup on a corrupted copy of the boot-info page; it must refuse. */
#include <stdio.h>
#include <string.h>
#include <univisor.h>

/* libos/start.c's entry from crt0 (not public API). */
__attribute__((noreturn)) void __uv_start(const struct uv_boot_info *bi);

static union {
	struct uv_boot_info bi;
	char page[UV_PAGE_SIZE];
} fake __attribute__((aligned(UV_PAGE_SIZE)));

/* argv[1] says what to break: magic, abi or args. libos must print why and exit with 127. */
int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";

	memcpy(fake.page, uv_boot_info(), sizeof(fake.page));
	if (!strcmp(what, "magic"))
		fake.bi.magic ^= 1;
	else if (!strcmp(what, "abi"))
		fake.bi.abi_version += 1u << 16;
	else if (!strcmp(what, "args"))
		fake.page[fake.bi.args_off + fake.bi.args_len - 1] = 'x'; /* last string unterminated */
	else {
		printf("libc-badboot: FAIL: argument must be magic, abi or args\n");
		return 1;
	}
	printf("libc-badboot: restarting libos with a bad %s\n", what);
	fflush(stdout);
	__uv_start(&fake.bi);
}
