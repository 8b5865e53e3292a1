/* tools/mkimage/words.c: shell-like word splitting for config values (args, grants, paths). */
#include <string.h>
#include "tools/mkimage/words.h"

const char *words_split(const char *s, struct words *w)
{
	w->len = 0;
	w->n = 0;
	if (strlen(s) > CFG_LINE_MAX)
		return "value is too long";
	/* Each input byte yields at most one output byte, plus one NUL per word: it fits. */
	while (*s) {
		if (*s == ' ' || *s == '\t') {
			s++;
			continue;
		}
		int quoted = 0;
		while (*s && (quoted || (*s != ' ' && *s != '\t'))) {
			if (*s == '"') {
				quoted = !quoted;
				s++;
			} else if (*s == '\'') {
				return "single quotes are not supported: use double quotes";
			} else if (*s == '\\') {
				if (!s[1])
					return "backslash at the end of the line";
				w->buf[w->len++] = s[1];
				s += 2;
			} else {
				w->buf[w->len++] = *s++;
			}
		}
		if (quoted)
			return "unterminated double quote";
		w->buf[w->len++] = 0;
		w->n++;
	}
	return NULL;
}
