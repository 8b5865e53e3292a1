/* apps/httpd/files.h: the files the server knows: built-in ones (files.S) and the generated /blob. */
#ifndef HTTPD_FILES_H
#define HTTPD_FILES_H

#include <stddef.h>

struct file {
	const char *path; /* "/index.html" */
	const char *type; /* its Content-Type */
	const unsigned char *data;
	size_t size;
};

#define BLOB_SIZE (1u << 20)

/* Fills the generated files (once, before the first lookup). */
void files_init(void);
/* The file for a request path ("/" is "/index.html"), or NULL. */
const struct file *files_find(const char *path);

#endif
