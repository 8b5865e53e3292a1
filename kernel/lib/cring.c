/* kernel/lib/cring.c: the console ring: queueing with an owner per byte, exact per-owner counts, each app's room. */
#include "kernel/lib/cring.h"
#include "kernel/lib/kstring.h"

static uint64_t left(uint64_t limit, uint64_t used) { return used < limit ? limit - used : 0; }

size_t cring_room(const struct cring *r, unsigned owner)
{
	uint64_t room = CRING_SIZE - cring_used(r);
	if (owner == CRING_KERNEL)
		return room;
	uint64_t share = left(CRING_SHARE, r->pending[owner]);
	uint64_t apps = left(CRING_SIZE - CRING_RESERVE, r->apps_pending);
	if (room > share)
		room = share;
	if (room > apps)
		room = apps;
	return room;
}

size_t cring_put(struct cring *r, unsigned owner, const char *s, size_t n)
{
	size_t room = CRING_SIZE - cring_used(r);
	if (n > room)
		n = room;
	size_t done = 0;
	while (done < n) {
		/* Copy up to the ring's end, then wrap. */
		size_t at = r->head % CRING_SIZE, k = CRING_SIZE - at;
		if (k > n - done)
			k = n - done;
		memcpy(r->data + at, s + done, k);
		memset(r->owner + at, (int)owner, k);
		r->head += k;
		done += k;
	}
	r->pending[owner] += n;
	if (owner != CRING_KERNEL)
		r->apps_pending += n;
	return n;
}
