/* kernel/dev/irq.c: device interrupt vectors: allocation and dispatch to the handler each source registered. */
#include "kernel/dev/irq.h"
#include "kernel/arch/trap.h"
#include "include/abi/uv_errno.h"

struct irq_slot {
	void (*handler)(void *ctx);
	void *ctx;
};
static struct irq_slot slots[VEC_DEVICE_LAST - VEC_DEVICE_FIRST + 1];
static unsigned next_vector = VEC_DEVICE_FIRST;

static void dispatch(struct trap_frame *f)
{
	const struct irq_slot *s = &slots[f->vector - VEC_DEVICE_FIRST];
	if (s->handler)
		s->handler(s->ctx);
}

int irq_alloc(void (*handler)(void *ctx), void *ctx, uint8_t *vector)
{
	if (next_vector > VEC_DEVICE_LAST)
		return -UV_ENOMEM;
	unsigned v = next_vector++;
	slots[v - VEC_DEVICE_FIRST] = (struct irq_slot){ handler, ctx };
	trap_set_handler((uint8_t)v, dispatch);
	*vector = (uint8_t)v;
	return 0;
}
