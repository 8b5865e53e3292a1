/* kernel/app/console_line.h: an app's console output on its way to the ring: filtered (kernel/lib/utf8.c), cut into "name: " lines, queued only while the app's share has room. */
#ifndef KERNEL_CONSOLE_LINE_H
#define KERNEL_CONSOLE_LINE_H

#include <stdint.h>
#include "kernel/lib/cring.h"
#include "kernel/lib/utf8.h"
#include "include/abi/uv_bootinfo.h"

#define CONSOLE_LINE_MAX 256                  /* bytes of text per line; a longer line wraps */
#define CONSOLE_PREFIX_MAX (UV_APP_NAME_MAX + 1) /* "name: ": a name has at most 31 bytes */
#define CONSOLE_RESUME_ROOM (CRING_SHARE / 2) /* a blocked write goes on once this much is free */

/*
 * Every line an app prints reaches the console as "name: text\n", whole, with text
 * filtered by utf8_filter (no controls, no escape sequences, no invalid UTF-8), so an
 * app's line can never look like the kernel's or move the cursor. A line ends at '\n'
 * or wraps before the byte that would make it longer than CONSOLE_LINE_MAX (a UTF-8
 * sequence is never cut in two).
 */
struct console_line {
	char buf[CONSOLE_PREFIX_MAX + CONSOLE_LINE_MAX + 1]; /* "name: ", the text, its '\n' */
	unsigned prefix_len;
	unsigned len; /* bytes of text so far, not yet queued */
	struct utf8_filter utf8;
};

/* Starts an empty line for the app called name (at most UV_APP_NAME_MAX - 1 bytes used). */
void console_line_init(struct console_line *l, const char *name);
/* Takes [s, s+n) in order, queueing each line it ends as owner's (console_put) while
 * console_room(owner) has room for the whole line. Returns how many bytes it took:
 * n, or fewer when the next line did not fit; then the bytes from there on have left no
 * trace (filter and line as before them) and are to be fed again later. */
uint64_t console_line_feed(struct console_line *l, unsigned owner, const char *s, uint64_t n);
/* The app ended: queues what is left (an unfinished line, a cut-off UTF-8 sequence as
 * '?') whatever its share says (at most two lines), and starts empty. */
void console_line_end(struct console_line *l, unsigned owner);

#endif
