/* tests/unit/test_utf8.c: the console's UTF-8 filter: valid text kept, C0/C1 controls and invalid bytes (overlongs, surrogates, truncations) become '?', state across calls. */
#include <stdint.h>
#include <stdlib.h>
#include "tests/unit/unit.h"
#include "kernel/lib/utf8.h"

/* Filters n bytes in one go (then ends the text if end) into out, NUL-terminated. */
static size_t run(struct utf8_filter *f, const char *in, size_t n, int end, char *out)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += utf8_filter_byte(f, (uint8_t)in[i], out + k);
	if (end)
		k += utf8_filter_end(f, out + k);
	out[k] = 0;
	return k;
}

static const char *filt(const char *in)
{
	static char out[1024];
	struct utf8_filter f;
	utf8_filter_init(&f);
	run(&f, in, strlen(in), 1, out);
	return out;
}

TEST(ascii_text_tab_newline_pass)
{
	CHECK_STR(filt("hello, world ~!"), "hello, world ~!");
	CHECK_STR(filt("a\tb\nc"), "a\tb\nc");
}

TEST(c0_controls_and_del_replaced)
{
	CHECK_STR(filt("\x1b[2J\x1b[H"), "?[2J?[H");
	CHECK_STR(filt("\rapp 'x' stopped: fake"), "?app 'x' stopped: fake");
	CHECK_STR(filt("\x01\x07\x08\x0b\x0c\x1f\x7f"), "???????");
	struct utf8_filter f = { 0 };
	char out[8];
	for (unsigned c = 0; c < 0x20; c++) {
		CHECK_EQ(utf8_filter_byte(&f, (uint8_t)c, out), 1);
		CHECK_EQ(out[0], c == '\t' || c == '\n' ? (char)c : '?');
	}
}

TEST(valid_multibyte_kept)
{
	CHECK_STR(filt("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	CHECK_STR(filt("\xc2\xa0"), "\xc2\xa0");             /* U+00A0, just above the C1 range */
	CHECK_STR(filt("\xdf\xbf"), "\xdf\xbf");             /* U+07FF */
	CHECK_STR(filt("\xe0\xa0\x80"), "\xe0\xa0\x80");     /* U+0800, the shortest 3-byte */
	CHECK_STR(filt("\xed\x9f\xbf"), "\xed\x9f\xbf");     /* U+D7FF, below the surrogates */
	CHECK_STR(filt("\xee\x80\x80"), "\xee\x80\x80");     /* U+E000, above them */
	CHECK_STR(filt("\xef\xbf\xbd"), "\xef\xbf\xbd");     /* U+FFFD */
	CHECK_STR(filt("\xf0\x90\x80\x80"), "\xf0\x90\x80\x80"); /* U+10000 */
	CHECK_STR(filt("\xf4\x8f\xbf\xbf"), "\xf4\x8f\xbf\xbf"); /* U+10FFFF */
}

TEST(c1_controls_replaced_in_both_forms)
{
	CHECK_STR(filt("\x9b" "2J"), "?2J");            /* raw CSI */
	CHECK_STR(filt("\xc2\x9b" "2J"), "?2J");        /* CSI as UTF-8: one '?' */
	CHECK_STR(filt("\xc2\x80\xc2\x9f"), "??");
	CHECK_STR(filt("a\x85" "b\x9d" "c"), "a?b?c");
	for (unsigned c = 0x80; c < 0xa0; c++) {
		char in[3] = { (char)c, 0 }, two[3] = { (char)0xc2, (char)c, 0 };
		CHECK_STR(filt(in), "?");
		CHECK_STR(filt(two), "?");
	}
}

TEST(overlongs_replaced)
{
	CHECK_STR(filt("\xc0\xaf"), "??");             /* '/' in two bytes */
	CHECK_STR(filt("\xc1\xbf"), "??");
	CHECK_STR(filt("\xc0\x80"), "??");             /* NUL in two bytes */
	CHECK_STR(filt("\xe0\x80\xaf"), "???");
	CHECK_STR(filt("\xe0\x9f\xbf"), "???");        /* U+07FF in three bytes */
	CHECK_STR(filt("\xf0\x80\x80\xaf"), "????");
	CHECK_STR(filt("\xf0\x8f\xbf\xbf"), "????");   /* U+FFFF in four bytes */
	CHECK_STR(filt("\xe0\x81\x9b"), "???");        /* an overlong CSI */
}

TEST(surrogates_and_beyond_max_replaced)
{
	CHECK_STR(filt("\xed\xa0\x80"), "???");        /* U+D800 */
	CHECK_STR(filt("\xed\xbf\xbf"), "???");        /* U+DFFF */
	CHECK_STR(filt("\xf4\x90\x80\x80"), "????");   /* U+110000 */
	CHECK_STR(filt("\xf5\x80\x80\x80"), "????");
	CHECK_STR(filt("\xf8\x88\x80\x80\x80"), "?????");
	CHECK_STR(filt("\xfe\xff"), "??");
}

TEST(truncated_sequences_replaced)
{
	CHECK_STR(filt("\xe2\x82x"), "??x");
	CHECK_STR(filt("\xe2\x82"), "??");             /* cut off by the end */
	CHECK_STR(filt("\xf0\x9f\x98\n"), "???\n");
	CHECK_STR(filt("\xc3"), "?");
	CHECK_STR(filt("\xe2\xc3\xa9"), "?\xc3\xa9");  /* a new lead ends the old sequence */
	CHECK_STR(filt("\xf0\x9f\x98\xf0\x9f\x98\x80"), "???\xf0\x9f\x98\x80");
	CHECK_STR(filt("\xe2\x82\x1b[H"), "???[H");     /* an ESC inside a sequence is still caught */
}

TEST(sequence_split_across_calls)
{
	struct utf8_filter f;
	char out[64], *o = out;
	utf8_filter_init(&f);
	o += run(&f, "x\xe2", 2, 0, o);
	CHECK(!utf8_filter_idle(&f));
	o += run(&f, "\x82", 1, 0, o);
	o += run(&f, "\xac!", 2, 0, o);
	CHECK(utf8_filter_idle(&f));
	o += run(&f, "\xf0\x9f", 2, 0, o);
	o += run(&f, "\x98\x80", 2, 1, o);
	CHECK_STR(out, "x\xe2\x82\xac!\xf0\x9f\x98\x80");
	/* The C1 check spans calls too. */
	utf8_filter_init(&f);
	o = out;
	o += run(&f, "\xc2", 1, 0, o);
	o += run(&f, "\x9b", 1, 1, o);
	CHECK_STR(out, "?");
}

/* A second decoder, written differently: decode a whole sequence by its lead's length,
 * check the code point's range; if anything is wrong, '?' for the first byte alone. */
static size_t reference(const uint8_t *in, size_t n, char *out)
{
	size_t k = 0;
	for (size_t i = 0; i < n;) {
		uint8_t c = in[i];
		if (c < 0x80) {
			out[k++] = (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f ? '?' : (char)c;
			i++;
			continue;
		}
		size_t len = (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
		uint32_t cp = len == 2 ? c & 0x1f : len == 3 ? c & 0x0f : c & 0x07;
		int ok = len && i + len <= n;
		for (size_t j = 1; ok && j < len; j++) {
			ok = (in[i + j] & 0xc0) == 0x80;
			cp = cp << 6 | (in[i + j] & 0x3f);
		}
		static const uint32_t min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
		ok = ok && cp >= min[len] && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff);
		if (!ok) {
			out[k++] = '?';
			i++;
		} else if (cp < 0xa0) {
			out[k++] = '?';
			i += len;
		} else {
			memcpy(out + k, in + i, len);
			k += len;
			i += len;
		}
	}
	return k;
}

TEST(matches_a_reference_on_every_pair_and_random_strings)
{
	char a[64], b[64];
	struct utf8_filter f;
	for (unsigned x = 0; x < 65536; x++) {
		uint8_t in[2] = { (uint8_t)(x >> 8), (uint8_t)x };
		utf8_filter_init(&f);
		size_t na = run(&f, (const char *)in, 2, 1, a), nb = reference(in, 2, b);
		if (na != nb || memcmp(a, b, na)) {
			char m[64];
			snprintf(m, sizeof(m), "%02x %02x differs from the reference", in[0], in[1]);
			unit_fail(__FILE__, __LINE__, m);
			return;
		}
	}
	/* Strings of bytes likely to form (or almost form) sequences. */
	static const uint8_t alphabet[] = { 'a', '\n', 0x1b, 0x7f, 0x80, 0x8f, 0x90, 0x9b, 0x9f, 0xa0, 0xbf, 0xc0,
					    0xc1, 0xc2, 0xc3, 0xdf, 0xe0, 0xe2, 0xed, 0xee, 0xef, 0xf0, 0xf4, 0xf5, 0xff };
	srand(1);
	for (int t = 0; t < 200000; t++) {
		uint8_t in[12];
		size_t n = 1 + (size_t)rand() % sizeof(in), split = (size_t)rand() % (n + 1);
		for (size_t i = 0; i < n; i++)
			in[i] = alphabet[(size_t)rand() % sizeof(alphabet)];
		utf8_filter_init(&f);
		size_t na = run(&f, (const char *)in, split, 0, a);
		na += run(&f, (const char *)in + split, n - split, 1, a + na);
		size_t nb = reference(in, n, b);
		if (na != nb || memcmp(a, b, na)) {
			unit_fail(__FILE__, __LINE__, "a random string differs from the reference");
			return;
		}
	}
}
