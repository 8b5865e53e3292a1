/* tools/mkimage/config_flow.c: the flow policy: [policy] deny_flow lines, the directed graph of apps, channels, segments and ports, and the search that proves a denied flow absent. */
#include <stdio.h>
#include <string.h>
#include "tools/mkimage/config_parser.h"
#include "tools/mkimage/config_flow.h"
#include "tools/mkimage/words.h"
#include "kernel/app/manifest.h"

#define fail cfg_fail

/*
 * The graph's nodes, one range per kind: apps, segments, ports, channels. An edge u -> v
 * says information can go from u to v:
 *   a channel:             sender -> chan -> receiver (one way: the receiver cannot answer on it)
 *   a vNIC on a segment:   app -> seg and seg -> app (a NIC sends and receives)
 *   a bridged segment:     seg -> port and port -> seg
 * and an app is assumed to pass on anything it receives (it may forward, copy or encode
 * it; mkimage cannot know what its code does), so a path through apps is a flow. The one
 * exception is a trust statement of the policy: `declassify = chan:NAME` says the
 * channel's sender releases on it only what the channel is for (a vault's signatures),
 * so the channel carries no flow: the edge sender -> chan is left out.
 */
enum { N_APP = 0, N_SEG = N_APP + UV_MANIFEST_MAX_APPS, N_PORT = N_SEG + UV_MANIFEST_MAX_SEGMENTS,
       N_CHAN = N_PORT + UV_MANIFEST_MAX_PORTS, N_NODES = N_CHAN + UV_MANIFEST_MAX_CHANS };

static const struct {
	const char *prefix;
	unsigned base;
} kinds[] = { { "app", N_APP }, { "seg", N_SEG }, { "port", N_PORT }, { "chan", N_CHAN } };
#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))

/* Adjacency as a bit matrix: edge[u][v / 64] bit v % 64. */
#define WORDS ((N_NODES + 63) / 64)
struct graph {
	uint64_t edge[N_NODES][WORDS];
};

static void add(struct graph *g, unsigned u, unsigned v) { g->edge[u][v / 64] |= 1ull << (v % 64); }
static int has(const struct graph *g, unsigned u, unsigned v) { return (g->edge[u][v / 64] >> (v % 64)) & 1; }

/* The node's name as the policy and the path write it: apps bare, the rest kind:NAME. */
static const char *node_name(const struct config *c, unsigned n, char *buf, size_t len)
{
	if (n < N_SEG)
		snprintf(buf, len, "%s", c->apps[n - N_APP].name);
	else if (n < N_PORT)
		snprintf(buf, len, "seg:%s", c->segments[n - N_SEG].name);
	else if (n < N_CHAN)
		snprintf(buf, len, "port:%s", c->ports[n - N_PORT].name);
	else
		snprintf(buf, len, "chan:%s", c->chans[n - N_CHAN].name);
	return buf;
}

static void build(const struct config *c, struct graph *g)
{
	memset(g, 0, sizeof(*g));
	for (unsigned i = 0; i < c->n_chans; i++) {
		if (!c->chans[i].declassify_line)
			add(g, N_APP + c->chans[i].sender, N_CHAN + i);
		add(g, N_CHAN + i, N_APP + c->chans[i].receiver);
	}
	for (unsigned i = 0; i < c->n_vnics; i++) {
		add(g, N_APP + c->vnics[i].app, N_SEG + c->vnics[i].segment);
		add(g, N_SEG + c->vnics[i].segment, N_APP + c->vnics[i].app);
	}
	for (unsigned i = 0; i < c->n_segments; i++)
		if (c->segments[i].port != UV_SEGMENT_INTERNAL) {
			add(g, N_SEG + i, N_PORT + c->segments[i].port);
			add(g, N_PORT + c->segments[i].port, N_SEG + i);
		}
}

/* How many nodes of kind k the config has, and the name of its i-th. */
static unsigned kind_count(const struct config *c, size_t k)
{
	return k == 0 ? c->n_apps : k == 1 ? c->n_segments : k == 2 ? c->n_ports : c->n_chans;
}
static const char *kind_name(const struct config *c, size_t k, unsigned i)
{
	return k == 0 ? c->apps[i].name : k == 1 ? c->segments[i].name : k == 2 ? c->ports[i].name : c->chans[i].name;
}

/* The node a policy word names: kind:NAME, or a bare NAME that exactly one kind has. -1 with an error. */
static int resolve(struct parser *p, unsigned line, const char *rule, const char *w)
{
	const struct config *c = p->cfg;
	const char *colon = strchr(w, ':');
	int found = -1, count = 0;
	for (size_t k = 0; k < N_KINDS; k++) {
		size_t pl = strlen(kinds[k].prefix);
		if (colon && ((size_t)(colon - w) != pl || strncmp(w, kinds[k].prefix, pl)))
			continue;
		const char *name = colon ? colon + 1 : w;
		for (unsigned i = 0; i < kind_count(c, k); i++)
			if (!strcmp(kind_name(c, k, i), name)) {
				found = (int)(kinds[k].base + i);
				count++;
			}
	}
	if (count == 0)
		return fail(p, line, "%s: '%s' is not %s in this config", rule, w,
			    colon ? "a known app:, seg:, port: or chan: name" : "the name of an app, segment, port or channel");
	if (count > 1)
		return fail(p, line, "%s: '%s' names more than one thing: write app:%s, seg:%s, port:%s or chan:%s",
			    rule, w, w, w, w, w);
	return found;
}

int flow_section_start(struct parser *p)
{
	struct config *c = p->cfg;
	if (c->policy_line)
		return fail(p, p->line, "duplicate [policy] section (first at line %u)", c->policy_line);
	c->policy_line = p->line;
	p->section = S_POLICY;
	return 0;
}

int flow_section_key(struct parser *p, const char *key, const char *value)
{
	struct config *c = p->cfg;
	if (!strcmp(key, "declassify")) {
		if (c->n_declassify == CFG_MAX_DENY)
			return fail(p, p->line, "too many declassify lines (at most %d)", CFG_MAX_DENY);
		struct cfg_deny *d = &c->declassify[c->n_declassify];
		if (cfg_one_word(p, key, value, d->from, sizeof(d->from)))
			return -1;
		if (strncmp(d->from, "chan:", 5))
			return fail(p, p->line, "declassify takes a channel: declassify = chan:NAME");
		d->line = p->line;
		c->n_declassify++;
		return 0;
	}
	if (strcmp(key, "deny_flow"))
		return fail(p, p->line, "unknown key '%s' in [policy] (known: deny_flow declassify)", key);
	struct words w;
	const char *why = words_split(value, &w);
	if (why)
		return fail(p, p->line, "'deny_flow': %s", why);
	const char *from = w.buf, *arrow = w.n >= 2 ? from + strlen(from) + 1 : "", *to = w.n >= 3 ? arrow + strlen(arrow) + 1 : "";
	if (w.n != 3 || strcmp(arrow, "->"))
		return fail(p, p->line, "deny_flow takes 'FROM -> TO' (an app, seg:NAME, port:NAME or chan:NAME each side)");
	if (c->n_denies == CFG_MAX_DENY)
		return fail(p, p->line, "too many deny_flow lines (at most %d)", CFG_MAX_DENY);
	struct cfg_deny *d = &c->denies[c->n_denies];
	if (strlen(from) >= sizeof(d->from) || strlen(to) >= sizeof(d->to))
		return fail(p, p->line, "deny_flow: a name is too long");
	d->line = p->line;
	strcpy(d->from, from);
	strcpy(d->to, to);
	c->n_denies++;
	return 0;
}

/* Breadth-first from `from`: the shortest path to `to` into path[] (from first), its length, or 0. */
static unsigned find_path(const struct graph *g, unsigned from, unsigned to, unsigned path[N_NODES])
{
	int prev[N_NODES];
	unsigned queue[N_NODES], head = 0, tail = 0;
	for (unsigned i = 0; i < N_NODES; i++)
		prev[i] = -1;
	prev[from] = (int)from;
	queue[tail++] = from;
	while (head < tail) { /* each node enters the queue once: at most N_NODES steps */
		unsigned u = queue[head++];
		for (unsigned v = 0; v < N_NODES; v++) {
			if (!has(g, u, v) || prev[v] >= 0)
				continue;
			prev[v] = (int)u;
			if (v == to) {
				unsigned n = 0, rev[N_NODES];
				for (unsigned x = to; x != from; x = (unsigned)prev[x])
					rev[n++] = x;
				rev[n++] = from;
				for (unsigned i = 0; i < n; i++)
					path[i] = rev[n - 1 - i];
				return n;
			}
			queue[tail++] = v;
		}
	}
	return 0;
}

int flow_finish(struct parser *p)
{
	struct config *c = p->cfg;
	for (unsigned i = 0; i < c->n_declassify; i++) {
		int n = resolve(p, c->declassify[i].line, "declassify", c->declassify[i].from);
		if (n < 0)
			return -1;
		struct cfg_chan *ch = &c->chans[n - N_CHAN];
		if (ch->declassify_line)
			return fail(p, c->declassify[i].line, "declassify %s: already declassified at line %u",
				    c->declassify[i].from, ch->declassify_line);
		ch->declassify_line = c->declassify[i].line;
	}
	struct graph g;
	build(c, &g);
	for (unsigned i = 0; i < c->n_denies; i++) {
		const struct cfg_deny *d = &c->denies[i];
		int from = resolve(p, d->line, "deny_flow", d->from), to;
		if (from < 0 || (to = resolve(p, d->line, "deny_flow", d->to)) < 0)
			return -1;
		if (from == to)
			return fail(p, d->line, "deny_flow %s -> %s: both sides are the same thing", d->from, d->to);
		unsigned path[N_NODES], n = find_path(&g, (unsigned)from, (unsigned)to, path);
		if (!n)
			continue;
		char text[N_NODES * (UV_MANIFEST_NAME_MAX + 9)] = "", buf[UV_MANIFEST_NAME_MAX + 8];
		for (unsigned k = 0; k < n; k++)
			snprintf(text + strlen(text), sizeof(text) - strlen(text), "%s%s", k ? " -> " : "",
				 node_name(c, path[k], buf, sizeof(buf)));
		return fail(p, d->line, "deny_flow %s -> %s: the config lets information flow that way: %s", d->from, d->to,
			    text);
	}
	return 0;
}

void flow_print(FILE *f, const struct config *c)
{
	struct graph g;
	char a[UV_MANIFEST_NAME_MAX + 8], b[UV_MANIFEST_NAME_MAX + 8];
	build(c, &g);
	fprintf(f, "  flows (an app passes on what it receives):");
	unsigned edges = 0;
	for (unsigned u = 0; u < N_NODES; u++)
		for (unsigned v = 0; v < N_NODES; v++)
			if (has(&g, u, v) && !(v < u && has(&g, v, u))) /* a two-way edge once, as <-> */
				fprintf(f, "%s %s %s %s", edges++ ? "," : "", node_name(c, u, a, sizeof(a)),
					has(&g, v, u) ? "<->" : "->", node_name(c, v, b, sizeof(b)));
	fprintf(f, "%s\n", edges ? "" : " none");
	for (unsigned i = 0; i < c->n_chans; i++)
		if (c->chans[i].declassify_line)
			fprintf(f, "  declassify chan:%s: trusted: %s releases on it only what it is for (no flow from %s through it)\n",
				c->chans[i].name, c->chans[i].sender_name, c->chans[i].sender_name);
	for (unsigned i = 0; i < c->n_denies; i++)
		fprintf(f, "  deny_flow %s -> %s: no path (checked)\n", c->denies[i].from, c->denies[i].to);
}
