/* hv/svm/svm_event.c: re-delivery of an event whose delivery an exit interrupted (APM2 15.7.2). */
#include "hv/svm/svm_event.h"
#include "kernel/arch/x86.h"

uint64_t svm_event_reinject(uint64_t info)
{
	if (!(info & SVM_EVT_VALID))
		return 0;
	unsigned type = SVM_EVT_TYPE(info), vector = SVM_EVT_VECTOR(info);
	if (type == SVM_EVT_TYPE_SOFT_INT)
		return 0;
	if (type == SVM_EVT_TYPE_EXCEPTION && (vector == EXC_BP || vector == EXC_OF)) /* INT3, INTO */
		return 0;
	if (type != SVM_EVT_TYPE_INTR && type != SVM_EVT_TYPE_NMI && type != SVM_EVT_TYPE_EXCEPTION)
		return 0; /* reserved types: nothing the guest was owed */
	return info & ~SVM_EVT_RESERVED;
}
