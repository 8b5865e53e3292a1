/* tests/attack/sleeper/main.c: sleeps argv[1] milliseconds with yield(deadline) and reports when it woke. */
#include "tests/attack/attack.h"
int main(void)
{
	/* argv[1] follows argv[0] (the app's name) in the boot-info page's argument area. */
	const char *arg = (const char *)boot_info + boot_info->args_off;
	while (*arg)
		arg++;
	arg++;
	uint64_t ms = 0;
	while (*arg >= '0' && *arg <= '9')
		ms = ms * 10 + (uint64_t)(*arg++ - '0');
	int64_t now = hc(UV_HC_CLOCK_MONOTONIC, 0, 0, 0);
	int64_t r = hc(UV_HC_YIELD, (uint64_t)now + ms * 1000000, 0, 0);
	int64_t woke = hc(UV_HC_CLOCK_MONOTONIC, 0, 0, 0);
	put_num("yield-returned", r, 0);
	put_num("slept-enough", woke - now >= (int64_t)(ms * 1000000), 0);
	put_num("slept-from-ms", now / 1000000, 0);
	put_num("woke-at-ms", woke / 1000000, 0);
	put_num("woke-after-ms", ms, 0);
	return 0;
}
