/* tools/mkimage/words.c: shell-like word splitting for config values (args, grants, paths, nic lines). */
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
		char quote = 0; /* the quote that is open: '"', '\'' or none */
		while (*s && (quote || (*s != ' ' && *s != '\t'))) {
			if (*s == quote) {
				quote = 0;
				s++;
			} else if (!quote && (*s == '"' || *s == '\'')) {
				quote = *s++;
			} else if (*s == '\\' && quote != '\'') {
				/* Outside quotes and inside double quotes a backslash takes the next byte as it is. */
				if (!s[1])
					return "backslash at the end of the line";
				w->buf[w->len++] = s[1];
				s += 2;
			} else {
				w->buf[w->len++] = *s++; /* inside single quotes every byte is itself */
			}
		}
		if (quote)
			return quote == '"' ? "unterminated double quote" : "unterminated single quote";
		w->buf[w->len++] = 0;
		w->n++;
	}
	return NULL;
}
