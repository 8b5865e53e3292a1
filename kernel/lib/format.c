/* kernel/lib/format.c: the printf engine behind kprintf and ksnprintf. */
#include <stdint.h>
#include "kernel/lib/format.h"
#include "kernel/lib/kstring.h"

struct spec {
	int left, zero, alt; /* the flags '-', '0', '#' */
	int width;
	int prec; /* %.*s: at most this many bytes; < 0: all */
};

struct out {
	format_sink sink;
	void *ctx;
	size_t total;
};

static void put(struct out *o, const char *s, size_t n)
{
	o->sink(o->ctx, s, n);
	o->total += n;
}

static void pad(struct out *o, char c, int n)
{
	char buf[16];
	memset(buf, c, sizeof(buf));
	for (; n > 0; n -= 16)
		put(o, buf, n > 16 ? 16 : (size_t)n);
}

/* One conversion's output: prefix ("-", "0x" or ""), then s[0..n), filled to the width
 * with spaces (left of the prefix, or right with '-') or with zeros after the prefix ('0'). */
static void field(struct out *o, const struct spec *sp, const char *prefix, const char *s, size_t n)
{
	size_t plen = strlen(prefix);
	int len = (int)(plen + n);
	int fill = sp->width > len ? sp->width - len : 0;
	int zeros = sp->zero && !sp->left ? fill : 0;
	if (!sp->left && !zeros)
		pad(o, ' ', fill);
	put(o, prefix, plen);
	pad(o, '0', zeros);
	put(o, s, n);
	if (sp->left)
		pad(o, ' ', fill);
}

static void number(struct out *o, const struct spec *sp, uint64_t v, const char *prefix, unsigned base)
{
	char digits[20]; /* UINT64_MAX has 20 decimal digits */
	char *p = digits + sizeof(digits);
	do {
		*--p = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	field(o, sp, prefix, p, (size_t)(digits + sizeof(digits) - p));
}

size_t format_v(format_sink sink, void *ctx, const char *fmt, va_list ap)
{
	struct out o = { sink, ctx, 0 };
	while (*fmt) {
		if (*fmt != '%') {
			const char *s = fmt;
			while (*fmt && *fmt != '%')
				fmt++;
			put(&o, s, (size_t)(fmt - s));
			continue;
		}
		const char *start = fmt++;
		struct spec sp = { .prec = -1 };
		for (;; fmt++) {
			if (*fmt == '-') sp.left = 1;
			else if (*fmt == '0') sp.zero = 1;
			else if (*fmt == '#') sp.alt = 1;
			else break;
		}
		while (*fmt >= '0' && *fmt <= '9')
			sp.width = sp.width * 10 + (*fmt++ - '0');
		if (fmt[0] == '.' && fmt[1] == '*') {
			sp.prec = va_arg(ap, int);
			fmt += 2;
		}
		int wide = 0; /* l, ll, z: 64 bits */
		while (*fmt == 'l' || *fmt == 'z') {
			wide = 1;
			fmt++;
		}
		char c = *fmt;
		if (!c)
			break;
		fmt++;
		switch (c) {
		case 'd': {
			int64_t v = wide ? va_arg(ap, long long) : va_arg(ap, int);
			number(&o, &sp, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, v < 0 ? "-" : "", 10);
			break;
		}
		case 'u':
		case 'x': {
			uint64_t v = wide ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned);
			number(&o, &sp, v, c == 'x' && sp.alt && v ? "0x" : "", c == 'x' ? 16 : 10);
			break;
		}
		case 'p':
			number(&o, &sp, (uintptr_t)va_arg(ap, void *), "0x", 16);
			break;
		case 'c': {
			char ch = (char)va_arg(ap, int);
			field(&o, &sp, "", &ch, 1);
			break;
		}
		case 's': {
			const char *str = va_arg(ap, const char *);
			if (!str)
				str = "(null)";
			field(&o, &sp, "", str, sp.prec >= 0 ? strnlen(str, (size_t)sp.prec) : strlen(str));
			break;
		}
		case '%':
			put(&o, "%", 1);
			break;
		default:
			put(&o, start, (size_t)(fmt - start));
			break;
		}
	}
	return o.total;
}

struct bufctx {
	char *buf;
	size_t size, used;
};

static void buf_sink(void *ctx, const char *s, size_t n)
{
	struct bufctx *b = ctx;
	if (b->size == 0)
		return;
	size_t room = b->size - 1 - b->used;
	size_t k = n < room ? n : room;
	memcpy(b->buf + b->used, s, k);
	b->used += k;
}

size_t kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct bufctx b = { buf, size, 0 };
	size_t n = format_v(buf_sink, &b, fmt, ap);
	if (size)
		buf[b.used] = 0;
	return n;
}

size_t ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
