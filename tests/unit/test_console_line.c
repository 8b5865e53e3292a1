/* tests/unit/test_console_line.c: an app's console lines: "name: " prefix, filtering, wrapping, and blocking at its share of the ring (never over it, nothing lost or reordered). */
#include <stdint.h>
#include <stdlib.h>
#include "tests/unit/unit.h"
#include "kernel/console/console.h"
#include "kernel/app/console_line.h"
#include "include/abi/uv_abi.h"

/* The kernel's console over a ring of our own. */
static struct cring ring;
static int overflowed;
size_t console_room(unsigned owner) { return cring_room(&ring, owner); }
void console_put(unsigned owner, const char *s, size_t n)
{
	if (cring_put(&ring, owner, s, n) != n)
		overflowed = 1;
}

static struct console_line l;

static void setup(const char *name)
{
	memset(&ring, 0, sizeof(ring)); /* an empty ring */
	overflowed = 0;
	console_line_init(&l, name);
}

/* Sends everything queued (or at most max bytes) into out; returns the count. */
static size_t drain(char *out, size_t max)
{
	size_t n = 0;
	while (cring_used(&ring) && n < max) {
		out[n++] = cring_peek(&ring);
		cring_pop(&ring);
	}
	out[n] = 0;
	return n;
}

static const char *feed_n(const char *s, uint64_t n)
{
	static char out[4096];
	if (console_line_feed(&l, 1, s, n) != n)
		return "(blocked)";
	drain(out, sizeof(out) - 1);
	return out;
}
static const char *feed_all(const char *s) { return feed_n(s, strlen(s)); }

TEST(lines_get_the_prefix)
{
	setup("hello");
	CHECK_STR(feed_all("hi\nthere\n"), "hello: hi\nhello: there\n");
	CHECK_STR(feed_all("part"), "");
	CHECK_STR(feed_all(" two\n"), "hello: part two\n");
	CHECK_STR(feed_all("\n"), "hello: \n");
	CHECK_EQ(ring.pending[1], 0);
}

TEST(forgery_is_defused)
{
	setup("forger");
	CHECK_STR(feed_all("\x1b[2J\x1b[Hclear\n"), "forger: ?[2J?[Hclear\n");
	CHECK_STR(feed_all("x\rapp 'x' stopped: fake\n"), "forger: x?app 'x' stopped: fake\n");
	CHECK_STR(feed_all("\x9b" "31m \xc2\x9b" "31m\n"), "forger: ?31m ?31m\n");
	CHECK_STR(feed_all("\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\n"), "forger: \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\n");
	CHECK_STR(feed_all("tab\there\n"), "forger: tab\there\n");
}

TEST(sequences_split_across_writes)
{
	setup("s");
	CHECK_STR(feed_all("a\xe2"), "");
	CHECK_STR(feed_all("\x82"), "");
	CHECK_STR(feed_all("\xac\n"), "s: a\xe2\x82\xac\n");
	CHECK_STR(feed_all("\xe2\x82\n"), "s: ??\n"); /* cut off by the newline */
}

TEST(long_lines_wrap_at_256_without_cutting_a_character)
{
	char in[600], want[800];
	setup("w");
	memset(in, 'a', 300);
	strcpy(in + 300, "\n");
	snprintf(want, sizeof(want), "w: %.256s\nw: %.44s\n", in, in);
	CHECK_STR(feed_all(in), want);
	/* Exactly 256 then a newline: one line, not one and an empty one. */
	in[256] = '\n';
	in[257] = 0;
	snprintf(want, sizeof(want), "w: %.256s\n", in);
	CHECK_STR(feed_all(in), want);
	/* A 3-byte character that does not fit the 256th byte starts the next line. */
	memset(in, 'b', 255);
	strcpy(in + 255, "\xe2\x82\xac\n");
	snprintf(want, sizeof(want), "w: %.255s\nw: \xe2\x82\xac\n", in);
	CHECK_STR(feed_all(in), want);
	/* Split across the wrap and across two writes. */
	memset(in, 'c', 255);
	strcpy(in + 255, "\xf0\x9f");
	CHECK_STR(feed_all(in), "");
	snprintf(want, sizeof(want), "w: %.255s\nw: \xf0\x9f\x98\x80!\n", in);
	CHECK_STR(feed_all("\x98\x80!\n"), want);
}

TEST(end_queues_the_unfinished_line)
{
	char out[64];
	setup("e");
	CHECK_STR(feed_all("abc"), "");
	console_line_end(&l, 1);
	drain(out, sizeof(out) - 1);
	CHECK_STR(out, "e: abc\n");
	CHECK_STR(feed_all("x\xf0\x9f"), "");
	console_line_end(&l, 1);
	drain(out, sizeof(out) - 1);
	CHECK_STR(out, "e: x??\n");
	console_line_end(&l, 1); /* nothing left: nothing printed */
	CHECK_EQ(cring_used(&ring), 0);
}

TEST(long_name_cut_to_the_abi_limit)
{
	setup("a-very-long-app-name-of-forty-bytes-xxxx");
	CHECK_EQ(l.prefix_len, UV_APP_NAME_MAX - 1 + 2);
	CHECK(l.prefix_len <= CONSOLE_PREFIX_MAX);
}

/* The first blocked write: the app's share fills, the feed stops at a line's end, the
 * bytes it took were queued, and the share is never exceeded. */
TEST(feed_stops_at_the_share)
{
	static char in[UV_CONSOLE_WRITE_MAX];
	setup("flood");
	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = i % 64 == 63 ? '\n' : (char)('a' + i % 26);
	uint64_t took = console_line_feed(&l, 1, in, sizeof(in));
	CHECK_EQ(took, sizeof(in)); /* 4 KiB of 64-byte lines fit a 6 KiB share */
	took = console_line_feed(&l, 1, in, sizeof(in));
	CHECK(took < sizeof(in));
	CHECK(took % 64 == 63);     /* stopped at the '\n' of a line that does not fit */
	CHECK_EQ(l.len, 63);        /* its text waits in the line buffer, not in the ring */
	CHECK(ring.pending[1] <= CRING_SHARE);
	CHECK(ring.pending[1] + 7 + 64 > CRING_SHARE);
	/* Nothing more goes in until the share drains; other apps are not held up. */
	CHECK_EQ(console_line_feed(&l, 1, in + took, sizeof(in) - took), 0);
	struct console_line other;
	console_line_init(&other, "other");
	CHECK_EQ(console_line_feed(&other, 2, in, sizeof(in)), sizeof(in));
	CHECK(!overflowed);
}

/* A write that stops in the middle of a UTF-8 sequence or a line: the bytes it did not
 * take leave no trace, so feeding them again later gives the same text. */
TEST(a_stopped_feed_changes_nothing)
{
	static char in[8192], out[16384];
	size_t n = 0;
	setup("u");
	/* Fill the share to within a few bytes with one app's lines. */
	while (ring.pending[1] + 100 < CRING_SHARE)
		CHECK_EQ(console_line_feed(&l, 1, "0123456789012345678901234567890123456789\n", 41), 41);
	/* Then a line that needs more than is left, with a character split at the stop. */
	for (int i = 0; i < 30; i++)
		n += (size_t)snprintf(in + n, sizeof(in) - n, "\xe2\x82\xac%c", 'A' + i);
	in[n++] = '\n';
	struct console_line before = l;
	uint64_t took = console_line_feed(&l, 1, in, n);
	CHECK(took < n);
	/* Only whole lines went in; the rest sits in l (or was not taken at all). */
	CHECK(ring.pending[1] <= CRING_SHARE);
	if (took == 0)
		CHECK(!memcmp(&before, &l, sizeof(l)));
	drain(out, sizeof(out) - 1);
	CHECK_EQ(console_line_feed(&l, 1, in + took, n - took), n - took);
	drain(out, sizeof(out) - 1);
	char want[256];
	snprintf(want, sizeof(want), "u: %.*s", (int)n, in);
	CHECK_STR(out, want);
}

/* A flooder against a slow UART: a stream of ASCII, tabs, newlines and 2- and 3-byte
 * characters cut into writes of random sizes (so characters are split across writes and
 * across stops), random drains; each write is fed again from where it stopped (as
 * app_console_resume does) once CONSOLE_RESUME_ROOM is free. The output is exactly the
 * input, in order, "f: " before each line, wrapped before a character that would pass
 * 256 bytes; the share is never exceeded; a resumed feed always makes progress. */
TEST(flood_is_complete_in_order_and_bounded)
{
	static char in[1 << 19], got[1 << 20], want[1 << 20];
	static const char *const tokens[] = { "\n", "\t", "\xc3\xa9", "\xe2\x82\xac" };
	size_t nin = 0, ngot = 0, nwant = 0, line = 0;
	setup("f");
	srand(3);
	for (unsigned seq = 0; nin < sizeof(in) - 8; seq++) {
		int pick = rand() % 60;
		char digit[2] = { (char)('0' + seq % 10), 0 };
		const char *t = pick < 4 ? tokens[pick] : digit;
		size_t k = strlen(t);
		memcpy(in + nin, t, k);
		nin += k;
		if (t[0] == '\n') {
			if (line == 0) {
				memcpy(want + nwant, "f: ", 3);
				nwant += 3;
			}
			want[nwant++] = '\n';
			line = 0;
			continue;
		}
		if (line + k > CONSOLE_LINE_MAX) {
			want[nwant++] = '\n';
			line = 0;
		}
		if (line == 0) {
			memcpy(want + nwant, "f: ", 3);
			nwant += 3;
		}
		memcpy(want + nwant, t, k);
		nwant += k;
		line += k;
	}
	if (line)
		want[nwant++] = '\n';
	for (size_t at = 0; at < nin;) {
		size_t n = 1 + (size_t)rand() % UV_CONSOLE_WRITE_MAX;
		if (n > nin - at)
			n = nin - at;
		uint64_t done = 0;
		for (int rounds = 0; done < n; rounds++) {
			uint64_t k = console_line_feed(&l, 1, in + at + done, n - done);
			CHECK(ring.pending[1] <= CRING_SHARE);
			CHECK(rounds == 0 || k > 0); /* room for CONSOLE_RESUME_ROOM always lets a line through */
			CHECK(rounds < 100);
			done += k;
			/* Blocked: drain a little at a time until the resume rule allows a retry. */
			while (done < n && cring_room(&ring, 1) < CONSOLE_RESUME_ROOM) {
				size_t d = drain(got + ngot, 1 + (size_t)rand() % 700);
				CHECK(d > 0); /* the ring holds what keeps the app out */
				ngot += d;
			}
		}
		at += n;
		if (rand() % 3 == 0)
			ngot += drain(got + ngot, (size_t)rand() % 8000);
	}
	console_line_end(&l, 1);
	ngot += drain(got + ngot, sizeof(got) - ngot - 1);
	CHECK(!overflowed);
	CHECK_EQ(ngot, nwant);
	CHECK(!memcmp(got, want, nwant));
	CHECK_EQ(ring.pending[1], 0);
}

/* Fills app 1's share with lines of its own until exactly left bytes of it are free. */
static void fill_share(size_t left)
{
	char fill[64];
	memset(fill, 'f', sizeof(fill));
	while (cring_room(&ring, 1) >= left + 48) {
		fill[40] = '\n';
		console_line_feed(&l, 1, fill, 41);
	}
	size_t n = cring_room(&ring, 1) - left - 4; /* "u: " and '\n' around it */
	fill[n] = '\n';
	console_line_feed(&l, 1, fill, n + 1);
}

/* Stops inside a UTF-8 sequence: at the newline after a cut-off sequence, and at the
 * last byte of a character that must wrap; after the drain the same bytes go on where
 * they stopped and print what they would have without the stop. */
TEST(a_stop_inside_a_sequence_keeps_it)
{
	char out[CRING_SIZE + 1];
	setup("u");
	fill_share(5);
	CHECK_EQ(cring_room(&ring, 1), 5);
	CHECK_EQ(console_line_feed(&l, 1, "abc\xe2\x82\n", 6), 5); /* the '\n' does not fit */
	drain(out, sizeof(out) - 1);
	CHECK_EQ(console_line_feed(&l, 1, "\n", 1), 1);
	drain(out, sizeof(out) - 1);
	CHECK_STR(out, "u: abc??\n");

	char in[300];
	memset(in, 'a', 255);
	memcpy(in + 255, "\xe2\x82\xac", 3);
	fill_share(100);
	CHECK_EQ(console_line_feed(&l, 1, in, 258), 257); /* the wrap before the euro does not fit */
	CHECK(ring.pending[1] <= CRING_SHARE);
	drain(out, sizeof(out) - 1);
	CHECK_EQ(console_line_feed(&l, 1, in + 257, 1), 1);
	console_line_end(&l, 1);
	drain(out, sizeof(out) - 1);
	char want[300];
	snprintf(want, sizeof(want), "u: %.255s\nu: \xe2\x82\xac\n", in);
	CHECK_STR(out, want);
}

TEST(resume_room_fits_the_largest_step)
{
	/* One byte may end two lines (a wrap, then '\n'): a resume must fit both. */
	CHECK(CONSOLE_RESUME_ROOM >= 2 * (CONSOLE_PREFIX_MAX + CONSOLE_LINE_MAX + 1));
	CHECK(CONSOLE_RESUME_ROOM <= CRING_SHARE);
}

/* The eight-at-a-time scan of plain text: every byte value at every place of a word
 * (and of the tail after the last whole word) is caught or passed like the filter says. */
TEST(every_byte_value_at_every_offset)
{
	char in[40], want[80];
	setup("b");
	for (unsigned v = 0; v < 256; v++) {
		for (unsigned at = 0; at < 19; at++) {
			memset(in, 'a', 19);
			in[at] = (char)v;
			in[19] = '\n';
			int plain = (v >= 0x20 && v < 0x7f) || v == '\t';
			static const char a[] = "aaaaaaaaaaaaaaaaaaa";
			if (v == '\n')
				snprintf(want, sizeof(want), "b: %.*s\nb: %.*s\n", (int)at, a, (int)(18 - at), a);
			else
				snprintf(want, sizeof(want), "b: %.*s%c%.*s\n", (int)at, a, plain ? (char)v : '?',
					 (int)(18 - at), a);
			const char *got = feed_n(in, 20);
			if (strcmp(got, want)) {
				char m[96];
				snprintf(m, sizeof(m), "byte %#x at %u gave \"%.40s\"", v, at, got);
				unit_fail(__FILE__, __LINE__, m);
				return;
			}
		}
	}
}
