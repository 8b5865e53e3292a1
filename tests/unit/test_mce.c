/* tests/unit/test_mce.c: who may go on after a machine check (SDM 3B 15.3.2, 15.10). */
#include <stdint.h>
#include "tests/unit/unit.h"
#include "kernel/arch/mce.h"

#define VAL MCI_STATUS_VAL
TEST(corrected_error_goes_on)
{
	uint64_t b[3] = { 0, VAL | 0x17, 0 };
	CHECK_EQ(mce_decide(MCG_STATUS_RIPV, b, 3, false), MCE_GO_ON);
	CHECK_EQ(mce_decide(MCG_STATUS_RIPV, b, 3, true), MCE_GO_ON);
}

TEST(uncorrected_in_an_app_stops_the_app_only)
{
	uint64_t b[2] = { VAL | MCI_STATUS_UC, 0 };
	CHECK_EQ(mce_decide(MCG_STATUS_RIPV, b, 2, true), MCE_STOP_APP);
	CHECK_EQ(mce_decide(0, b, 2, true), MCE_STOP_APP);
	CHECK_EQ(mce_decide(MCG_STATUS_RIPV, b, 2, false), MCE_STOP_ALL);
}

TEST(not_restartable_or_unexplained)
{
	uint64_t b[1] = { VAL };
	CHECK_EQ(mce_decide(0, b, 1, false), MCE_STOP_ALL);
	CHECK_EQ(mce_decide(0, b, 1, true), MCE_STOP_APP);
	uint64_t none[1] = { 0 };
	CHECK_EQ(mce_decide(MCG_STATUS_RIPV, none, 1, true), MCE_STOP_APP);
	CHECK_EQ(mce_decide(MCG_STATUS_RIPV, none, 0, false), MCE_STOP_ALL);
}

TEST(corrupt_context_stops_everything)
{
	uint64_t b[2] = { 0, VAL | MCI_STATUS_UC | MCI_STATUS_PCC };
	CHECK_EQ(mce_decide(MCG_STATUS_RIPV, b, 2, true), MCE_STOP_ALL);
}
