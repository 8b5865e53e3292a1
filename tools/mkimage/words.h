/* tools/mkimage/words.h: splits a config value into shell-like words (double and single quotes group, backslash escapes outside single quotes). */
#ifndef TOOLS_MKIMAGE_WORDS_H
#define TOOLS_MKIMAGE_WORDS_H

#include "tools/mkimage/config.h"

struct words {
	char buf[CFG_LINE_MAX + 1]; /* the words, each NUL-terminated, one after another */
	unsigned len;               /* bytes used in buf, NULs included */
	unsigned n;                 /* number of words */
};

/* Splits s into *w. Returns NULL, or what is wrong (an unterminated quote, ...). */
const char *words_split(const char *s, struct words *w);

#endif
