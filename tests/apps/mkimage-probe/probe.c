/* tests/apps/mkimage-probe/probe.c: prints what the manifest gave this app (name, argv, memory, stack, grants) and exits with argv's exit=N. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <univisor.h>

int main(int argc, char **argv)
{
	const struct uv_boot_info *bi = uv_boot_info();
	int status = 0;

	printf("probe: name=%s index=%u restart_count=%u argc=%d\n", bi->name, bi->app_index, bi->restart_count, argc);
	for (int i = 0; i < argc; i++) {
		printf("probe: argv[%d]=\"%s\"\n", i, argv[i]);
		if (!strncmp(argv[i], "exit=", 5))
			status = atoi(argv[i] + 5);
	}
	printf("probe: mem=%#llx stack=[%#llx, %#llx) grants=%#llx\n", (unsigned long long)bi->mem_size,
	       (unsigned long long)bi->stack_bottom, (unsigned long long)bi->mem_size, (unsigned long long)bi->grants);
	printf("probe: exiting with status %d\n", status);
	return status;
}
