/* tools/mkimage/config_chan.c: the channel part of a config: [channel NAME] sections, chan:NAME grants, the channels' limits. */
#include <stdio.h>
#include <string.h>
#include "tools/mkimage/config_parser.h"
#include "kernel/app/manifest.h"
#include "include/abi/uv_hypercall.h"

#define fail cfg_fail
#define KIB 1024u

int chan_section_start(struct parser *p, const char *name)
{
	struct config *c = p->cfg;
	if (!manifest_name_valid(name, UV_MANIFEST_NAME_MAX))
		return fail(p, p->line, "bad channel name '%.64s': use 1-%d of a-z 0-9 _ -", name, UV_MANIFEST_NAME_MAX - 1);
	for (unsigned i = 0; i < c->n_chans; i++)
		if (!strcmp(c->chans[i].name, name))
			return fail(p, p->line, "duplicate channel '%s' (first at line %u)", name, c->chans[i].line);
	if (c->n_chans == UV_MANIFEST_MAX_CHANS)
		return fail(p, p->line, "too many channels (at most %d)", UV_MANIFEST_MAX_CHANS);
	struct cfg_chan *ch = &c->chans[c->n_chans++];
	strcpy(ch->name, name);
	ch->line = p->line;
	ch->depth = UV_CHAN_DEPTH_DEFAULT;
	p->section = S_CHANNEL;
	return 0;
}

/* A count in lo..max, decimal with an optional K (x1024) suffix when allow_k. */
static int count_value(struct parser *p, const struct cfg_chan *ch, const char *key, const char *value, uint64_t max,
		       int allow_k, uint32_t *out)
{
	char w[64];
	uint64_t n;
	const char *end;
	if (cfg_one_word(p, key, value, w, sizeof(w)))
		return -1;
	int r = cfg_decimal(w, max, &n, &end);
	if (r == 0 && allow_k && *end == 'K' && !end[1]) {
		if (n > max / KIB)
			r = -2;
		n *= KIB;
		end++;
	}
	if (r == -1 || (r == 0 && *end))
		return fail(p, p->line, "channel '%s': bad %s '%s': expected a decimal number%s", ch->name, key, w,
			    allow_k ? " (K for KiB)" : "");
	if (r == -2 || n == 0)
		return fail(p, p->line, "channel '%s': %s '%s' is outside 1..%llu", ch->name, key, w, (unsigned long long)max);
	*out = (uint32_t)n;
	return 0;
}

int chan_section_key(struct parser *p, const char *key, const char *value)
{
	struct cfg_chan *ch = &p->cfg->chans[p->cfg->n_chans - 1];
	unsigned *line = !strcmp(key, "sender") ? &ch->sender_line : !strcmp(key, "receiver") ? &ch->receiver_line
		       : !strcmp(key, "msg_max") ? &ch->msg_max_line : !strcmp(key, "depth") ? &ch->depth_line : NULL;
	if (!line)
		return fail(p, p->line, "unknown key '%s' in [channel %s] (known: sender receiver msg_max depth)", key,
			    ch->name);
	if (*line)
		return fail(p, p->line, "duplicate key '%s' in [channel %s] (first set at line %u)", key, ch->name, *line);
	*line = p->line;
	if (line == &ch->msg_max_line)
		return count_value(p, ch, key, value, UV_CHAN_MSG_MAX, 1, &ch->msg_max);
	if (line == &ch->depth_line)
		return count_value(p, ch, key, value, UV_CHAN_DEPTH_MAX, 0, &ch->depth);
	char *name = line == &ch->sender_line ? ch->sender_name : ch->receiver_name;
	if (cfg_one_word(p, key, value, name, UV_MANIFEST_NAME_MAX))
		return -1;
	if (!manifest_name_valid(name, UV_MANIFEST_NAME_MAX))
		return fail(p, p->line, "channel '%s': bad %s '%.64s': expected an app name", ch->name, key, name);
	return 0;
}

int chan_section_end(struct parser *p)
{
	const struct cfg_chan *ch = &p->cfg->chans[p->cfg->n_chans - 1];
	if (!ch->sender_line)
		return fail(p, ch->line, "channel '%s' has no 'sender' (the app that sends on it)", ch->name);
	if (!ch->receiver_line)
		return fail(p, ch->line, "channel '%s' has no 'receiver' (the app that receives from it)", ch->name);
	if (!ch->msg_max_line)
		return fail(p, ch->line, "channel '%s' has no 'msg_max' (its largest message in bytes, e.g. msg_max = 256)",
			    ch->name);
	return 0;
}

int chan_grant(struct parser *p, struct cfg_app *a, const char *g)
{
	if (!strcmp(g, "chan"))
		return fail(p, p->line, "grant 'chan' must name the channels: chan:NAME for each channel the app uses");
	const char *name = g + strlen("chan:");
	if (!*name)
		return fail(p, p->line, "grant 'chan:' names no channel: chan:NAME");
	if (!manifest_name_valid(name, UV_MANIFEST_NAME_MAX))
		return fail(p, p->line, "grant '%.64s': '%.40s' is not a channel name (1-%d of a-z 0-9 _ -)", g, name,
			    UV_MANIFEST_NAME_MAX - 1);
	for (unsigned i = 0; i < a->n_chan_grants; i++)
		if (!strcmp(a->chan_grants[i], name))
			return fail(p, p->line, "grant '%s' is listed twice", g);
	if (a->n_chan_grants == UV_APP_MAX_CHANS)
		return fail(p, p->line, "more than %d chan: grants (an app is an end of at most %d channels)",
			    UV_APP_MAX_CHANS, UV_APP_MAX_CHANS);
	strcpy(a->chan_grants[a->n_chan_grants++], name);
	return 0;
}

/* The index of the app called name, or -1. */
static int app_by_name(const struct config *c, const char *name)
{
	for (unsigned i = 0; i < c->n_apps; i++)
		if (!strcmp(c->apps[i].name, name))
			return (int)i;
	return -1;
}

/* The channels' apps by name; each app's ends within its limit; the queues' memory together. */
static int resolve_ends(struct parser *p)
{
	struct config *c = p->cfg;
	unsigned ends[UV_MANIFEST_MAX_APPS] = { 0 };
	uint64_t bytes = 0;
	for (unsigned i = 0; i < c->n_chans; i++) {
		struct cfg_chan *ch = &c->chans[i];
		int s = app_by_name(c, ch->sender_name), r = app_by_name(c, ch->receiver_name);
		if (s < 0)
			return fail(p, ch->sender_line, "channel '%s': unknown sender app '%s'", ch->name, ch->sender_name);
		if (r < 0)
			return fail(p, ch->receiver_line, "channel '%s': unknown receiver app '%s'", ch->name, ch->receiver_name);
		if (s == r)
			return fail(p, ch->receiver_line, "channel '%s': app '%s' cannot send to itself (sender and receiver "
				    "must be two apps)", ch->name, ch->sender_name);
		ch->sender = (uint32_t)s;
		ch->receiver = (uint32_t)r;
		for (int k = 0; k < 2; k++)
			if (++ends[k ? r : s] > UV_APP_MAX_CHANS)
				return fail(p, ch->line, "channel '%s': app '%s' is an end of more than %d channels", ch->name,
					    c->apps[k ? r : s].name, UV_APP_MAX_CHANS);
		bytes += UV_CHAN_QUEUE_BYTES(ch->msg_max, ch->depth);
		if (bytes > UV_CHAN_MEM_MAX)
			return fail(p, ch->line, "channel '%s': the channels' queues need %llu bytes up to this one, more than "
				    "the %u the kernel gives channels (msg_max x depth is too large)", ch->name,
				    (unsigned long long)bytes, UV_CHAN_MEM_MAX);
	}
	return 0;
}

int chan_finish(struct parser *p)
{
	struct config *c = p->cfg;
	if (resolve_ends(p))
		return -1;
	for (unsigned i = 0; i < c->n_apps; i++) {
		struct cfg_app *a = &c->apps[i];
		for (unsigned g = 0; g < a->n_chan_grants; g++) {
			unsigned k = 0;
			while (k < c->n_chans && strcmp(c->chans[k].name, a->chan_grants[g]))
				k++;
			if (k == c->n_chans)
				return fail(p, a->key_line[K_GRANTS], "grant 'chan:%s' of app '%s': there is no channel '%s'",
					    a->chan_grants[g], a->name, a->chan_grants[g]);
			struct cfg_chan *ch = &c->chans[k];
			if (ch->sender != i && ch->receiver != i)
				return fail(p, a->key_line[K_GRANTS], "grant 'chan:%s' of app '%s': the app is not an end of "
					    "channel '%s' (%s -> %s)", ch->name, a->name, ch->name, ch->sender_name,
					    ch->receiver_name);
			ch->flags |= ch->sender == i ? UV_MCHAN_SENDER_GRANTED : UV_MCHAN_RECEIVER_GRANTED;
			a->grants |= UV_GRANT_CHAN;
		}
	}
	for (unsigned k = 0; k < c->n_chans; k++) {
		const struct cfg_chan *ch = &c->chans[k];
		if (!(ch->flags & UV_MCHAN_SENDER_GRANTED))
			cfg_warn(p, ch->line, "channel '%s': its sender '%s' is not granted chan:%s: it cannot send on it",
				 ch->name, ch->sender_name, ch->name);
		if (!(ch->flags & UV_MCHAN_RECEIVER_GRANTED))
			cfg_warn(p, ch->line, "channel '%s': its receiver '%s' is not granted chan:%s: it cannot receive from it",
				 ch->name, ch->receiver_name, ch->name);
	}
	return 0;
}
