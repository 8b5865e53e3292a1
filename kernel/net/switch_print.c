/* kernel/net/switch_print.c: the switch's summary: one line per port (kind, place, counters, the drops that happened) and one for the learned table. */
#include <stdarg.h>
#include "kernel/net/switch.h"
#include "kernel/console/console.h"
#include "kernel/lib/format.h"

#define SW_LINE_MAX 512 /* a port's line: names, MAC, ten counters of up to 20 digits */

static const char *const drop_names[SW_DROP_COUNT] = {
	[SW_DROP_QUEUE_FULL] = "queue-full",
	[SW_DROP_SPOOFED] = "spoofed",
	[SW_DROP_SIZE] = "size",
	[SW_DROP_NO_BUFFER] = "no-buffer",
	[SW_DROP_TX_FULL] = "tx-full",
	[SW_DROP_LINK_DOWN] = "link-down",
	[SW_DROP_NO_PORT] = "no-port",
	[SW_DROP_NO_DEST] = "no-dest",
	[SW_DROP_RESERVED] = "reserved",
};

const char *sw_drop_name(enum sw_drop d)
{
	return (unsigned)d < SW_DROP_COUNT && drop_names[d] ? drop_names[d] : "unknown";
}

/* A line being written: what fits goes into buf, len counts everything (like ksnprintf). */
struct line {
	char *buf;
	size_t size, len;
};

__attribute__((format(printf, 2, 3))) static void put(struct line *l, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t room = l->len < l->size ? l->size - l->len : 0;
	l->len += kvsnprintf(room ? l->buf + l->len : l->buf, room, fmt, ap);
	va_end(ap);
}

size_t sw_format_port(const struct sw *s, const struct sw_port *p, char *buf, size_t size)
{
	struct line l = { buf, size, 0 };
	if (size)
		buf[0] = 0;
	const char *seg = p->segment < s->n_segments ? s->segments[p->segment].name : "?";
	if (p->is_uplink) {
		put(&l, "port %s uplink seg %s", p->name, seg);
		if (!p->tx)
			put(&l, " unbound");
		else if (p->link_up)
			put(&l, " link %s", p->link_up(p->ctx) ? "up" : "down");
	} else {
		const uint8_t *m = p->mac;
		put(&l, "vnic %s app %u nic %u seg %s mac %02x:%02x:%02x:%02x:%02x:%02x", p->name, p->app, p->handle, seg,
		    m[0], m[1], m[2], m[3], m[4], m[5]);
		if (p->flags & UV_VNIC_PROMISC)
			put(&l, " promisc");
		if (p->flags & UV_VNIC_ANY_SRC)
			put(&l, " any-src");
		put(&l, " queued %u/%u", p->count, p->depth);
	}
	const struct sw_port_stats *st = &p->stats;
	put(&l, ": in %llu/%lluB out %llu/%lluB", (unsigned long long)st->rx_frames, (unsigned long long)st->rx_bytes,
	    (unsigned long long)st->tx_frames, (unsigned long long)st->tx_bytes);
	bool any = false;
	for (unsigned d = 0; d < SW_DROP_COUNT; d++) {
		if (!st->drops[d])
			continue;
		put(&l, "%s %s=%llu", any ? "" : " drops", sw_drop_name((enum sw_drop)d), (unsigned long long)st->drops[d]);
		any = true;
	}
	return l.len;
}

void sw_print(const struct sw *s, const char *prefix, uint64_t now_ns)
{
	char line[SW_LINE_MAX];
	for (unsigned i = 0; i < s->n_ports && i < SW_MAX_PORTS; i++) {
		sw_format_port(s, &s->ports[i], line, sizeof(line));
		kprintf("%s%s\n", prefix, line);
	}
	kprintf("%slearned %u of %u (new %llu, moved %llu, replaced %llu)\n", prefix, sw_learned_count(s, now_ns),
		SW_LEARN_SLOTS, (unsigned long long)s->learn.learned, (unsigned long long)s->learn.moved,
		(unsigned long long)s->learn.replaced);
}
