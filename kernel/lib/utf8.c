/* kernel/lib/utf8.c: the UTF-8 console filter: decodes untrusted bytes, passes valid text, replaces controls and invalid bytes by '?'. */
#include "kernel/lib/utf8.h"

#define REPLACEMENT '?'

/* Ranges follow the well-formed byte sequences of Unicode (chapter 3, table 3-7): the
 * second byte's range rules out overlongs (E0, F0), surrogates (ED) and code points above
 * U+10FFFF (F4); C0, C1 and F5-FF never start a sequence. */
static unsigned begin(struct utf8_filter *f, uint8_t c, char *out)
{
	if (c < 0x80) {
		bool control = (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f;
		out[0] = control ? REPLACEMENT : (char)c;
		return 1;
	}
	f->lo = 0x80;
	f->hi = 0xbf;
	if (c >= 0xc2 && c <= 0xdf) {
		f->need = 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		f->need = 3;
		if (c == 0xe0)
			f->lo = 0xa0; /* E0 80..9F would be overlong */
		else if (c == 0xed)
			f->hi = 0x9f; /* ED A0..BF would be a surrogate */
	} else if (c >= 0xf0 && c <= 0xf4) {
		f->need = 4;
		if (c == 0xf0)
			f->lo = 0x90; /* F0 80..8F would be overlong */
		else if (c == 0xf4)
			f->hi = 0x8f; /* F4 90.. would be above U+10FFFF */
	} else {
		/* A continuation byte with no lead (raw C1 0x80-0x9f among them), an overlong
		 * lead (C0, C1) or one above U+10FFFF (F5-FF). */
		out[0] = REPLACEMENT;
		return 1;
	}
	f->seq[0] = c;
	f->have = 1;
	return 0;
}

unsigned utf8_filter_byte(struct utf8_filter *f, uint8_t c, char out[UTF8_FILTER_OUT_MAX])
{
	if (f->have == 0)
		return begin(f, c, out);
	if (c >= f->lo && c <= f->hi) {
		f->seq[f->have++] = c;
		f->lo = 0x80;
		f->hi = 0xbf;
		if (f->have < f->need)
			return 0;
		unsigned n = f->have;
		f->have = 0;
		if (n == 2 && f->seq[0] == 0xc2 && f->seq[1] < 0xa0) {
			out[0] = REPLACEMENT; /* U+0080-U+009F: a C1 control, e.g. CSI (C2 9B) */
			return 1;
		}
		for (unsigned i = 0; i < n; i++)
			out[i] = (char)f->seq[i];
		return n;
	}
	/* The sequence broke off: each of its bytes is invalid; c starts afresh. */
	unsigned n = utf8_filter_end(f, out);
	return n + begin(f, c, out + n);
}

unsigned utf8_filter_end(struct utf8_filter *f, char out[UTF8_FILTER_OUT_MAX])
{
	unsigned n = f->have;
	for (unsigned i = 0; i < n; i++)
		out[i] = REPLACEMENT;
	f->have = 0;
	return n;
}
