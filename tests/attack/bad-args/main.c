/* tests/attack/bad-args/main.c: hostile hypercall arguments; each must fail cleanly and the app goes on. */
#include "tests/attack/attack.h"
int main(void)
{
	static const char msg[] = "ok\n";
	put_num("cw-outside", hc(UV_HC_CONSOLE_WRITE, boot_info->mem_size + 0x1000, 3, 0), 0);
	put_num("cw-straddle", hc(UV_HC_CONSOLE_WRITE, boot_info->mem_size - 2, 3, 0), 0);
	put_num("cw-wrap", hc(UV_HC_CONSOLE_WRITE, 0xfffffffffffff000ull, 0x2000, 0), 0);
	put_num("cw-wrap-small", hc(UV_HC_CONSOLE_WRITE, 0xffffffffffffffffull, 2, 0), 0);
	put_num("cw-huge", hc(UV_HC_CONSOLE_WRITE, (uint64_t)(uintptr_t)msg, 1ull << 40, 0), 0);
	put_num("cw-max-plus-one", hc(UV_HC_CONSOLE_WRITE, (uint64_t)(uintptr_t)msg, UV_CONSOLE_WRITE_MAX + 1, 0), 0);
	put_num("cw-zero", hc(UV_HC_CONSOLE_WRITE, 0xfffffffffffff000ull, 0, 0), 0);
	put_num("random-outside", hc(UV_HC_RANDOM, boot_info->mem_size, 16, 0), 0);
	put_num("unknown-call", hc(UV_HC_COUNT, 0, 0, 0), 0);
	put_num("huge-call", hc(0x8000000000000000ull, 0, 0, 0), 0);
	put_num("not-granted", hc(UV_HC_CLOCK_WALL, 0, 0, 0), 0); /* clock is not granted */
	put_num("no-such-nic", hc(UV_HC_NET_INFO, 0, 0, 0), 0);
	put_num("version", hc(UV_HC_VERSION, 0, 0, 0), 1);
	put_num("cw-good", hc(UV_HC_CONSOLE_WRITE, (uint64_t)(uintptr_t)msg, 3, 0), 0);
	return 0;
}
