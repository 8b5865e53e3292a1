/* kernel/app/manifest_chan.c: the manifest's channel records: their check inside manifest_check, and the accessors callers read them with. */
#include "kernel/app/manifest_chan.h"
#include "kernel/lib/kstring.h"
#include "include/abi/uv_hypercall.h"

#define FAIL MANIFEST_FAIL

const struct uv_manifest_chan *manifest_chans(const struct uv_manifest *m)
{
	return (const struct uv_manifest_chan *)((const uint8_t *)m + m->chan.off);
}

int manifest_check_chan_header(const struct uv_manifest *h, uint64_t lo, uint64_t total, struct manifest_error *e)
{
	if (h->n_chans > UV_MANIFEST_MAX_CHANS)
		FAIL(e, -1, "manifest has %u channels (at most %d)", h->n_chans, UV_MANIFEST_MAX_CHANS);
	if (h->reserved1)
		FAIL(e, -1, "manifest reserved1 %#x is not zero", h->reserved1);
	uint64_t want = (uint64_t)h->n_chans * sizeof(struct uv_manifest_chan);
	if (h->chan.size != want)
		FAIL(e, -1, "chan blob is %llu bytes, not the %llu of %u channels", (unsigned long long)h->chan.size,
		     (unsigned long long)want, h->n_chans);
	if (want == 0 && h->chan.off)
		FAIL(e, -1, "empty chan blob with offset %#llx", (unsigned long long)h->chan.off);
	if (want && (!manifest_blob_inside(&h->chan, lo, total) || h->chan.off % 8))
		FAIL(e, -1, "chan blob [%#llx, +%#llx) is misaligned or outside the manifest's blobs [%#llx, %#llx)",
		     (unsigned long long)h->chan.off, (unsigned long long)h->chan.size, (unsigned long long)lo,
		     (unsigned long long)total);
	return 0;
}

/* One channel record against the header, the apps and the channels before it. */
static int check_one(const struct uv_manifest *h, const struct uv_manifest_chan *c, uint32_t i,
		     struct manifest_error *e)
{
	const struct uv_manifest_chan *r = &c[i];
	if (!manifest_name_field_ok(r->name))
		FAIL(e, -1, "channel %u: name is not 1-31 of [a-z0-9_-] padded with NULs", i);
	for (uint32_t k = 0; k < i; k++)
		if (!strcmp(c[k].name, r->name))
			FAIL(e, -1, "channel %u '%s': name is also channel %u's", i, r->name, k);
	if (r->sender >= h->n_apps || r->receiver >= h->n_apps)
		FAIL(e, -1, "channel %u '%s': sender %u or receiver %u is not one of the %u apps", i, r->name, r->sender,
		     r->receiver, h->n_apps);
	if (r->sender == r->receiver)
		FAIL(e, (int)r->sender, "channel %u '%s': app %u is both its sender and its receiver", i, r->name, r->sender);
	if (r->msg_max == 0 || r->msg_max > UV_CHAN_MSG_MAX)
		FAIL(e, -1, "channel %u '%s': msg_max %u is outside 1..%d", i, r->name, r->msg_max, UV_CHAN_MSG_MAX);
	if (r->depth == 0 || r->depth > UV_CHAN_DEPTH_MAX)
		FAIL(e, -1, "channel %u '%s': depth %u is outside 1..%d", i, r->name, r->depth, UV_CHAN_DEPTH_MAX);
	if (r->flags & ~UV_MCHAN_FLAGS_KNOWN)
		FAIL(e, -1, "channel %u '%s': unknown flags %#x", i, r->name, r->flags & ~UV_MCHAN_FLAGS_KNOWN);
	if (r->reserved)
		FAIL(e, -1, "channel %u '%s': reserved field is not zero", i, r->name);
	return 0;
}

int manifest_check_chan(const struct uv_manifest *h, struct manifest_error *e)
{
	if (manifest_blobs_overlap(&h->chan, &h->net))
		FAIL(e, -1, "chan blob overlaps the net blob");
	for (uint32_t i = 0; i < h->n_apps; i++) {
		const struct uv_manifest_app *a = &h->apps[i];
		if (manifest_blobs_overlap(&h->chan, &a->image) || manifest_blobs_overlap(&h->chan, &a->args) ||
		    manifest_blobs_overlap(&h->chan, &a->syms))
			FAIL(e, -1, "chan blob [%#llx, +%#llx) overlaps a blob of app %u '%s'",
			     (unsigned long long)h->chan.off, (unsigned long long)h->chan.size, i, a->name);
	}
	const struct uv_manifest_chan *c = manifest_chans(h);
	uint64_t bytes = 0;
	for (uint32_t i = 0; i < h->n_chans; i++) {
		if (check_one(h, c, i, e))
			return -UV_EINVAL;
		bytes += UV_CHAN_QUEUE_BYTES(c[i].msg_max, c[i].depth); /* each <= 1024 * 65544: no wrap */
	}
	if (bytes > UV_CHAN_MEM_MAX)
		FAIL(e, -1, "the channels' queues need %llu bytes, more than %u", (unsigned long long)bytes, UV_CHAN_MEM_MAX);
	/* Per app: at most UV_APP_MAX_CHANS ends, and the chan calls granted exactly when an end is. */
	for (uint32_t i = 0; i < h->n_apps; i++) {
		uint32_t ends = 0;
		int granted = -1;
		for (uint32_t k = 0; k < h->n_chans; k++) {
			uint32_t flag = c[k].sender == i ? UV_MCHAN_SENDER_GRANTED : c[k].receiver == i ? UV_MCHAN_RECEIVER_GRANTED : 0;
			if (!flag)
				continue;
			ends++;
			if ((c[k].flags & flag) && granted < 0)
				granted = (int)k;
		}
		const struct uv_manifest_app *a = &h->apps[i];
		if (ends > UV_APP_MAX_CHANS)
			FAIL(e, (int)i, "app %u '%s': is an end of %u channels (at most %d)", i, a->name, ends, UV_APP_MAX_CHANS);
		if ((a->grants & UV_GRANT_CHAN) && granted < 0)
			FAIL(e, (int)i, "app %u '%s': grants has chan but none of its channel ends is granted", i, a->name);
		if (!(a->grants & UV_GRANT_CHAN) && granted >= 0)
			FAIL(e, (int)i, "app %u '%s': its end of channel %d '%s' is granted but the app's grants lack chan", i,
			     a->name, granted, c[granted].name);
	}
	return 0;
}
