/* kernel/lib/utf8.h: a byte-at-a-time filter for untrusted text bound for a terminal: valid UTF-8 passes, controls and invalid bytes become '?'. */
#ifndef KERNEL_LIB_UTF8_H
#define KERNEL_LIB_UTF8_H

#include <stdbool.h>
#include <stdint.h>

/*
 * What passes unchanged: printable ASCII, tab, newline, and every valid UTF-8 sequence
 * (shortest form, no surrogates, at most U+10FFFF) that does not encode a C1 control.
 * What becomes '?': C0 controls (< 0x20 but tab and newline) and DEL, a sequence
 * encoding U+0080-U+009F (C2 80 .. C2 9F: one '?'), and every byte that is not part of
 * a valid sequence: one '?' per byte (a raw C1 byte 0x80-0x9f is a stray continuation
 * byte). So the text cannot start a terminal escape or control sequence. A sequence may
 * arrive split over any number of calls: the state lives in the struct.
 */
struct utf8_filter {
	uint8_t seq[4]; /* the sequence so far */
	uint8_t have;   /* bytes in seq; 0 = between characters */
	uint8_t need;   /* the length its first byte announced */
	uint8_t lo, hi; /* the range the next byte must lie in */
};

#define UTF8_FILTER_OUT_MAX 4 /* bytes one call may write: 3 '?' of a broken sequence + 1 */

/* Starts between characters (a zeroed struct is the same). */
static inline void utf8_filter_init(struct utf8_filter *f) { f->have = 0; }
/* True between characters: the next byte starts a new one. */
static inline bool utf8_filter_idle(const struct utf8_filter *f) { return f->have == 0; }
/* Takes the next byte; writes what may be printed now (0 to UTF8_FILTER_OUT_MAX bytes:
 * nothing while a sequence is incomplete) to out and returns how many. */
unsigned utf8_filter_byte(struct utf8_filter *f, uint8_t c, char out[UTF8_FILTER_OUT_MAX]);
/* Ends the text: an incomplete sequence becomes one '?' per byte. Returns the count. */
unsigned utf8_filter_end(struct utf8_filter *f, char out[UTF8_FILTER_OUT_MAX]);

#endif
