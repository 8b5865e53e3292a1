/* tests/unit/test_svm_event.c: which interrupted event an SVM exit hands back for delivery (APM2 15.7.2). */
#include <stdint.h>
#include "tests/unit/unit.h"
#include "hv/svm/svm_event.h"

#define V SVM_EVT_VALID
#define EXC(vec) (V | (3ull << 8) | (vec))

TEST(nothing_when_not_valid)
{
	CHECK_EQ(svm_event_reinject(0), 0);
	CHECK_EQ(svm_event_reinject(EXC(14) & ~V), 0);
}

TEST(exception_with_error_code_goes_back_whole)
{
	uint64_t pf = EXC(14) | SVM_EVT_EV | (0x6ull << 32);
	CHECK_EQ(svm_event_reinject(pf), pf);
	CHECK_EQ(svm_event_reinject(EXC(6)), EXC(6));
	/* reserved bits 30:12 never reach EVENTINJ */
	CHECK_EQ(svm_event_reinject(EXC(13) | SVM_EVT_EV | (1ull << 20)), EXC(13) | SVM_EVT_EV);
}

TEST(interrupt_and_nmi_go_back)
{
	CHECK_EQ(svm_event_reinject(V | 0x20), V | 0x20);
	CHECK_EQ(svm_event_reinject(V | (2ull << 8) | 2), V | (2ull << 8) | 2);
}

TEST(software_events_are_re_executed_not_injected)
{
	CHECK_EQ(svm_event_reinject(V | (4ull << 8) | 0x80), 0); /* INT 0x80 */
	CHECK_EQ(svm_event_reinject(EXC(3)), 0);                 /* INT3 */
	CHECK_EQ(svm_event_reinject(EXC(4)), 0);                 /* INTO */
	CHECK_EQ(svm_event_reinject(V | (5ull << 8) | 1), 0);    /* reserved type */
}
