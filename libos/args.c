/* libos/args.c: argv from the boot-info page's args area (checked, then copied to writable memory). */
#include "libos.h"

int uv_args_check(const char *area, size_t len, uint32_t argc)
{
	uint32_t n = 0;

	if (len > UV_BOOT_INFO_ARGS_MAX || (len > 0 && area == NULL))
		return -UV_EINVAL;
	/* Every string ends with a NUL inside the area, and the area ends with one. */
	if (len > 0 && area[len - 1] != '\0')
		return -UV_EINVAL;
	for (size_t i = 0; i < len; i++)
		if (area[i] == '\0')
			n++;
	return n == argc ? 0 : -UV_EINVAL;
}

void uv_args_build(const char *area, size_t len, uint32_t argc, char *strbuf, char **argv)
{
	size_t pos = 0;

	for (size_t i = 0; i < len; i++)
		strbuf[i] = area[i];
	for (uint32_t k = 0; k < argc; k++) {
		argv[k] = strbuf + pos;
		while (strbuf[pos] != '\0')
			pos++;
		pos++;
	}
	argv[argc] = NULL;
}
