/* tests/attack/xsetbv-stop/main.c: an app without its own exception handling sets XCR0 to x87 alone: the kernel stops it with the #GP it owes. */
#include "tests/attack/attack.h"
int main(void)
{
	xsetbv0_(1);
	yield_();
	/* Only where the emulator ran XSETBV without the intercept (QEMU's TCG): then the
	 * kernel's XCR0 must be back after the exit. */
	put_num("not intercepted here; XCR0 after an exit", (int64_t)xgetbv0(), 1);
	return xgetbv0() == 1 ? 1 : 0;
}
