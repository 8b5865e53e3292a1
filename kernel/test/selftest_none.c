/* kernel/test/selftest_none.c: the production kernel's empty self-test hooks. */
#include "kernel/test/selftest.h"

void selftest_early(const struct boot_info *bi) { (void)bi; }
void selftest_late(const struct boot_info *bi) { (void)bi; }
