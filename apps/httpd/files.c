/* apps/httpd/files.c: the table of the site's files: built-in ones from files.S and /blob, 1 MiB from a fixed generator. */
#include <string.h>
#include "files.h"

#define DECL(sym) extern const unsigned char sym[], sym##_end[]
DECL(www_index_html);
DECL(www_style_css);
DECL(www_hello_txt);
DECL(www_1k_html);

static unsigned char blob[BLOB_SIZE];
static struct file files[] = {
	{ "/index.html", "text/html; charset=utf-8", www_index_html, 0 },
	{ "/style.css", "text/css", www_style_css, 0 },
	{ "/hello.txt", "text/plain; charset=utf-8", www_hello_txt, 0 },
	{ "/1k.html", "text/html; charset=utf-8", www_1k_html, 0 },
	{ "/blob", "application/octet-stream", blob, BLOB_SIZE },
};
#define N_FILES (sizeof(files) / sizeof(files[0]))

/*
 * /blob: xorshift32 (Marsaglia 2003) from seed 1, four little-endian bytes per step, so a
 * test can recompute it (tests/boot/httpd.sh).
 */
void files_init(void)
{
	files[0].size = (size_t)(www_index_html_end - www_index_html);
	files[1].size = (size_t)(www_style_css_end - www_style_css);
	files[2].size = (size_t)(www_hello_txt_end - www_hello_txt);
	files[3].size = (size_t)(www_1k_html_end - www_1k_html);
	unsigned x = 1;
	for (size_t i = 0; i < BLOB_SIZE; i += 4) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		memcpy(blob + i, &x, 4);
	}
}

const struct file *files_find(const char *path)
{
	if (!strcmp(path, "/"))
		path = "/index.html";
	for (size_t i = 0; i < N_FILES; i++)
		if (!strcmp(files[i].path, path))
			return &files[i];
	return NULL;
}
