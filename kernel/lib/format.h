/* kernel/lib/format.h: printf-style formatting into a buffer or a sink (no floating point). */
#ifndef KERNEL_LIB_FORMAT_H
#define KERNEL_LIB_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/* Supports %d %u %x %p %s %c %% with the flags '-' '0' '#', a width, %.*s, and the length
 * modifiers l ll z (64 bits). Unknown conversions print as-is. */
typedef void (*format_sink)(void *ctx, const char *s, size_t n);
size_t format_v(format_sink sink, void *ctx, const char *fmt, va_list ap);
/* Like vsnprintf: always NUL-terminates when size > 0; returns the untruncated length. */
size_t kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
size_t ksnprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
