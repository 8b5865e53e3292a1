/* kernel/dev/irq.c: device interrupt vectors: allocation, dispatch to the handler each source registered, and vectors shared by one interrupt line. */
#include "kernel/dev/irq.h"
#include "kernel/arch/trap.h"
#include "include/abi/uv_errno.h"

#define N_SLOTS (VEC_DEVICE_LAST - VEC_DEVICE_FIRST + 1)

struct irq_slot {
	void (*handler)(void *ctx);
	void *ctx;
	uint8_t next; /* the next vector whose handler runs when this one fires (a shared line), 0 = none */
};
static struct irq_slot slots[N_SLOTS];
static unsigned next_vector = VEC_DEVICE_FIRST;

static bool is_device_vector(unsigned v) { return v >= VEC_DEVICE_FIRST && v <= VEC_DEVICE_LAST; }

/* Runs the handler of the vector that fired and of every vector chained to it: each
 * device on a shared level-triggered line checks and clears its own cause. */
static void dispatch(struct trap_frame *f)
{
	unsigned v = (unsigned)f->vector;
	for (unsigned n = 0; n < N_SLOTS && is_device_vector(v); n++) {
		const struct irq_slot *s = &slots[v - VEC_DEVICE_FIRST];
		if (s->handler)
			s->handler(s->ctx);
		v = s->next;
	}
}

int irq_share(uint8_t first, uint8_t vector)
{
	if (!is_device_vector(first) || !is_device_vector(vector) || first == vector ||
	    first >= next_vector || vector >= next_vector || slots[vector - VEC_DEVICE_FIRST].next)
		return -UV_EINVAL; /* (a vector that heads a chain of its own could close a loop) */
	unsigned v = first;
	for (unsigned n = 0; n < N_SLOTS; n++) {
		struct irq_slot *s = &slots[v - VEC_DEVICE_FIRST];
		if (v == vector)
			return -UV_EINVAL; /* already on the chain */
		if (!s->next) {
			s->next = vector;
			return 0;
		}
		v = s->next;
	}
	return -UV_EINVAL;
}

int irq_alloc(void (*handler)(void *ctx), void *ctx, uint8_t *vector)
{
	if (next_vector > VEC_DEVICE_LAST)
		return -UV_ENOMEM;
	unsigned v = next_vector++;
	slots[v - VEC_DEVICE_FIRST] = (struct irq_slot){ handler, ctx, 0 };
	trap_set_handler((uint8_t)v, dispatch);
	*vector = (uint8_t)v;
	return 0;
}
