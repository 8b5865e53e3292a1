/* kernel/chan/chan.c: the appliance's channels: setup from the manifest (all queue memory taken at boot, handles given to the apps), the summary lines. */
#include "kernel/chan/chan.h"
#include "kernel/app/manifest.h"
#include "kernel/console/console.h"
#include "kernel/mm/mm.h"
#include "kernel/arch/x86.h"
#include "include/abi/uv_errno.h"

static struct chan *chans; /* n_chans records, or NULL without channels */
static unsigned n_chans;
static uint64_t queue_bytes;

int chan_setup(const struct uv_manifest *m, struct app *apps, unsigned n_apps)
{
	if (m->n_chans == 0)
		return 0;
	uint64_t rec_pages = ((uint64_t)m->n_chans * sizeof(struct chan) + PAGE_SIZE - 1) / PAGE_SIZE;
	if (!(chans = (struct chan *)(uintptr_t)kalloc_pages(rec_pages, 1))) {
		kprintf("chan: out of memory for %u channels\n", m->n_chans);
		return -UV_ENOMEM;
	}
	const struct uv_manifest_chan *r = manifest_chans(m);
	for (uint32_t i = 0; i < m->n_chans; i++) {
		struct chan *c = &chans[i];
		/* manifest_check: two different apps, sizes within the limits, memory within UV_CHAN_MEM_MAX. */
		if (r[i].sender >= n_apps || r[i].receiver >= n_apps || r[i].sender == r[i].receiver)
			panic("chan: channel %u outside the checked manifest's limits", i);
		uint64_t bytes = chanq_bytes(r[i].msg_max, r[i].depth);
		uint64_t pa = kalloc_pages((bytes + PAGE_SIZE - 1) / PAGE_SIZE, 1);
		if (!pa) {
			kprintf("chan: out of memory for channel '%s' (%llu bytes)\n", r[i].name, (unsigned long long)bytes);
			return -UV_ENOMEM;
		}
		queue_bytes += bytes;
		c->rec = &r[i];
		chanq_init(&c->q, (void *)(uintptr_t)pa, r[i].msg_max, r[i].depth);
		c->end[CHAN_SENDER] = &apps[r[i].sender];
		c->end[CHAN_RECEIVER] = &apps[r[i].receiver];
		for (int s = 0; s < 2; s++) {
			struct app *a = c->end[s];
			if (a->n_chans >= UV_APP_MAX_CHANS)
				panic("chan: app %u has more channel ends than the checked manifest allows", a->index);
			a->chan[a->n_chans++] = c;
		}
	}
	n_chans = m->n_chans;
	kprintf("chan: %u channels, %llu KiB of queues allocated\n", n_chans, (unsigned long long)(queue_bytes >> 10));
	return 0;
}

void chan_print(void)
{
	if (!n_chans)
		return;
	kprintf("  channels: %u, %llu KiB of queues (allocated at boot, never more)\n", n_chans,
		(unsigned long long)(queue_bytes >> 10));
	for (unsigned i = 0; i < n_chans; i++) {
		const struct chan *c = &chans[i];
		const struct chanq_stats *t = &c->q.st;
		kprintf("  chan %s %s->%s: queued=%u/%u peak=%u sent=%llu/%lluB received=%llu full=%llu too-long=%llu "
			"resets=%llu dropped=%llu\n", c->rec->name, c->end[CHAN_SENDER]->name, c->end[CHAN_RECEIVER]->name,
			c->q.count, c->q.depth, t->peak, (unsigned long long)t->sent, (unsigned long long)t->bytes,
			(unsigned long long)t->received, (unsigned long long)t->full, (unsigned long long)t->too_long,
			(unsigned long long)t->resets, (unsigned long long)t->dropped);
	}
}
