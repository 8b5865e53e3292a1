/* tests/attack/bad-args/main.c: hostile hypercall arguments; each must fail cleanly, with the error the ABI names, and the app goes on. */
#include "tests/attack/attack.h"

/* The values this test has always expected (ABI 1.0): a change of any is an ABI change. */
_Static_assert(UV_EPERM == 1 && UV_E2BIG == 7 && UV_EFAULT == 14 && UV_ENOSYS == 38, "ABI error numbers");
_Static_assert(UV_ABI_VERSION == 0x10007, "ABI version 1.7");

int main(void)
{
	static const char msg[] = "ok\n";
	const uint64_t buf = (uint64_t)(uintptr_t)msg, mem = boot_info->mem_size;
	check_eq("bad-args.cw-outside", hc(UV_HC_CONSOLE_WRITE, mem + 0x1000, 3, 0), -UV_EFAULT, 0);
	check_eq("bad-args.cw-straddle", hc(UV_HC_CONSOLE_WRITE, mem - 2, 3, 0), -UV_EFAULT, 0);
	check_eq("bad-args.cw-wrap", hc(UV_HC_CONSOLE_WRITE, 0xfffffffffffff000ull, 0x2000, 0), -UV_E2BIG, 0);
	check_eq("bad-args.cw-wrap-small", hc(UV_HC_CONSOLE_WRITE, 0xffffffffffffffffull, 2, 0), -UV_EFAULT, 0);
	check_eq("bad-args.cw-huge", hc(UV_HC_CONSOLE_WRITE, buf, 1ull << 40, 0), -UV_E2BIG, 0);
	check_eq("bad-args.cw-max-plus-one", hc(UV_HC_CONSOLE_WRITE, buf, UV_CONSOLE_WRITE_MAX + 1, 0), -UV_E2BIG, 0);
	/* An empty range is still a pointer: outside the app's RAM it is refused. */
	check_eq("bad-args.cw-zero", hc(UV_HC_CONSOLE_WRITE, 0xfffffffffffff000ull, 0, 0), -UV_EFAULT, 0);
	check_eq("bad-args.random-outside", hc(UV_HC_RANDOM, mem, 16, 0), -UV_EFAULT, 0);
	check_eq("bad-args.unknown-call", hc(UV_HC_COUNT, 0, 0, 0), -UV_ENOSYS, 0);
	check_eq("bad-args.huge-call", hc(0x8000000000000000ull, 0, 0, 0), -UV_ENOSYS, 0);
	/* Neither clock nor net is granted: refused before anything else (and counted, denied=2). */
	check_eq("bad-args.not-granted", hc(UV_HC_CLOCK_WALL, 0, 0, 0), -UV_EPERM, 0);
	check_eq("bad-args.no-such-nic", hc(UV_HC_NET_INFO, 0, 0, 0), -UV_EPERM, 0);
	check_eq("bad-args.version", hc(UV_HC_VERSION, 0, 0, 0), UV_ABI_VERSION, 1);
	check_eq("bad-args.cw-good", hc(UV_HC_CONSOLE_WRITE, buf, 3, 0), 3, 0);
	checks_done();
	return 0;
}
