/* kernel/app/console_line.c: an app's console lines: filter each byte, wrap, queue "name: text\n" when the app's share of the ring has room, else stop there. */
#include "kernel/app/console_line.h"
#include "kernel/console/console.h"
#include "kernel/lib/kstring.h"

void console_line_init(struct console_line *l, const char *name)
{
	unsigned n = (unsigned)strnlen(name, UV_APP_NAME_MAX - 1);
	memcpy(l->buf, name, n);
	l->buf[n++] = ':';
	l->buf[n++] = ' ';
	l->prefix_len = n;
	l->len = 0;
	utf8_filter_init(&l->utf8);
}

/* Bytes the line of len bytes of text takes in the ring: prefix, text, newline. */
static size_t line_bytes(const struct console_line *l, unsigned len) { return l->prefix_len + len + 1; }

/* Queues the line of *len bytes of text (no room check) and starts the next: *len = 0. */
static void put_line(struct console_line *l, unsigned owner, unsigned *len)
{
	l->buf[l->prefix_len + *len] = '\n';
	console_put(owner, l->buf, line_bytes(l, *len));
	*len = 0;
}

/* Adds k bytes of filtered text to the line of *len bytes, queueing the line first when they
 * would make it longer than CONSOLE_LINE_MAX (no room check). */
static void append(struct console_line *l, unsigned owner, unsigned *len, const char *s, unsigned k)
{
	if (*len + k > CONSOLE_LINE_MAX)
		put_line(l, owner, len);
	memcpy(l->buf + l->prefix_len + *len, s, k);
	*len += k;
}

/* One byte that is not plain ASCII text, or comes in the middle of a UTF-8 sequence:
 * the filter decides what it prints; the lines it ends (a wrap before the new bytes, the
 * line at '\n') must fit together, or nothing changes and it returns false. */
static bool feed_other(struct console_line *l, unsigned owner, uint8_t c, unsigned *lenp)
{
	char out[UTF8_FILTER_OUT_MAX];
	struct utf8_filter f = l->utf8;
	unsigned len = *lenp, k = utf8_filter_byte(&f, c, out);
	bool nl = k && out[k - 1] == '\n';
	k -= nl;
	bool wrap = len + k > CONSOLE_LINE_MAX;
	size_t need = (wrap ? line_bytes(l, len) : 0) + (nl ? line_bytes(l, wrap ? k : len + k) : 0);
	if (need && console_room(owner) < need)
		return false;
	l->utf8 = f;
	append(l, owner, lenp, out, k); /* wraps as wrap says */
	if (nl)
		put_line(l, owner, lenp);
	return true;
}

/* Bytes of plain ASCII text (0x20-0x7e) at the start of [s, s+n): eight at a time (an
 * emulator counts each instruction, so this is the cost of a console_write). A lane of w
 * is flagged by bit 7 of w itself (>= 0x80), of w + 0x01 (0x7f), or of w - 0x20 where w
 * is below 0x80 (< 0x20); carries only start at a flagged lane, so a clean word is exact. */
static uint64_t plain_run(const char *s, uint64_t n)
{
	const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
	uint64_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		if ((w | (w + ones) | ((w - 0x20 * ones) & ~w)) & high)
			break;
	}
	while (i < n && (unsigned char)(s[i] - 0x20) < 0x5f)
		i++;
	return i;
}

uint64_t console_line_feed(struct console_line *l, unsigned owner, const char *s, uint64_t n)
{
	unsigned len = l->len;
	char *text = l->buf + l->prefix_len;
	uint64_t i = 0;
	while (i < n) {
		if (utf8_filter_idle(&l->utf8)) {
			/* The hot path: plain text between characters goes into the line as it is. */
			uint64_t k = plain_run(s + i, n - i < CONSOLE_LINE_MAX - len ? n - i : CONSOLE_LINE_MAX - len);
			memcpy(text + len, s + i, k);
			len += (unsigned)k;
			i += k;
			if (i == n)
				break;
			unsigned char c = (unsigned char)s[i];
			if (c == '\n' || (unsigned char)(c - 0x20) < 0x5f) {
				/* The line ends here, or is full: it goes out first, if the share has room. */
				if (console_room(owner) < line_bytes(l, len))
					break;
				put_line(l, owner, &len);
				i += c == '\n';
				continue;
			}
		}
		if (!feed_other(l, owner, (uint8_t)s[i], &len))
			break;
		i++;
	}
	l->len = len;
	return i;
}

void console_line_end(struct console_line *l, unsigned owner)
{
	char out[UTF8_FILTER_OUT_MAX];
	unsigned k = utf8_filter_end(&l->utf8, out);
	append(l, owner, &l->len, out, k);
	if (l->len)
		put_line(l, owner, &l->len);
}
