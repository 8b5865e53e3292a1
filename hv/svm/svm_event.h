/* hv/svm/svm_event.h: which event an exit interrupted and must be delivered again (pure, unit-tested). */
#ifndef HV_SVM_SVM_EVENT_H
#define HV_SVM_SVM_EVENT_H

#include <stdint.h>

/* EXITINTINFO and EVENTINJ share one format (APM2 15.7.2, 15.20): vector 7:0, type
 * 10:8, EV (error code valid) 11, V (valid) 31, error code 63:32. */
#define SVM_EVT_VECTOR(e) ((unsigned)((e) & 0xff))
#define SVM_EVT_TYPE(e) ((unsigned)(((e) >> 8) & 7))
#define SVM_EVT_TYPE_INTR 0
#define SVM_EVT_TYPE_NMI 2
#define SVM_EVT_TYPE_EXCEPTION 3
#define SVM_EVT_TYPE_SOFT_INT 4
#define SVM_EVT_EV (1ull << 11)
#define SVM_EVT_VALID (1ull << 31)
#define SVM_EVT_RESERVED 0x7ffff000ull /* bits 30:12 */

/* The EVENTINJ value that delivers again the event an exit interrupted (EXITINTINFO),
 * or 0 when there is none or it must not be injected: INTn, INT3 and INTO are delivered
 * again by re-executing the instruction, whose address RIP still holds (an injected
 * software event would need the next RIP). */
uint64_t svm_event_reinject(uint64_t exitintinfo);

#endif
