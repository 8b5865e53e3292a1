/* kernel/lib/format.c: the printf engine behind kprintf and ksnprintf. */
#include <stdint.h>
#include "kernel/lib/format.h"
#include "kernel/lib/kstring.h"

struct spec {
	int left, zero, plus, space, alt;
	int width, prec; /* prec < 0: none */
	int len;         /* 0 int, 1 long, 2 long long, -1 short, -2 char, 3 size_t/ptrdiff/intmax */
};

static void pad(format_sink sink, void *ctx, char c, int n, size_t *total)
{
	char buf[16];
	memset(buf, c, sizeof(buf));
	while (n > 0) {
		int k = n > 16 ? 16 : n;
		sink(ctx, buf, (size_t)k);
		*total += (size_t)k;
		n -= k;
	}
}

static void emit_num(format_sink sink, void *ctx, const struct spec *sp, uint64_t v, int neg,
		     unsigned base, int upper, const char *prefix, size_t *total)
{
	char digits[24];
	int nd = 0;
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	do {
		digits[nd++] = set[v % base];
		v /= base;
	} while (v);
	if (sp->prec == 0 && nd == 1 && digits[0] == '0')
		nd = 0;
	char sign = neg ? '-' : sp->plus ? '+' : sp->space ? ' ' : 0;
	int plen = (int)strlen(prefix) + (sign ? 1 : 0);
	int zeros = sp->prec > nd ? sp->prec - nd : 0;
	int body = plen + zeros + nd;
	int fill = sp->width > body ? sp->width - body : 0;
	if (sp->zero && !sp->left && sp->prec < 0) {
		zeros += fill;
		fill = 0;
	}
	if (!sp->left)
		pad(sink, ctx, ' ', fill, total);
	if (sign) {
		sink(ctx, &sign, 1);
		(*total)++;
	}
	if (*prefix) {
		sink(ctx, prefix, strlen(prefix));
		*total += strlen(prefix);
	}
	pad(sink, ctx, '0', zeros, total);
	for (int i = nd - 1; i >= 0; i--)
		sink(ctx, &digits[i], 1);
	*total += (size_t)nd;
	if (sp->left)
		pad(sink, ctx, ' ', fill, total);
}

size_t format_v(format_sink sink, void *ctx, const char *fmt, va_list ap)
{
	size_t total = 0;
	while (*fmt) {
		if (*fmt != '%') {
			const char *s = fmt;
			while (*fmt && *fmt != '%')
				fmt++;
			sink(ctx, s, (size_t)(fmt - s));
			total += (size_t)(fmt - s);
			continue;
		}
		const char *start = fmt++;
		struct spec sp = { .prec = -1 };
		for (;; fmt++) {
			if (*fmt == '-') sp.left = 1;
			else if (*fmt == '0') sp.zero = 1;
			else if (*fmt == '+') sp.plus = 1;
			else if (*fmt == ' ') sp.space = 1;
			else if (*fmt == '#') sp.alt = 1;
			else break;
		}
		if (*fmt == '*') {
			sp.width = va_arg(ap, int);
			if (sp.width < 0) {
				sp.left = 1;
				sp.width = -sp.width;
			}
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9')
				sp.width = sp.width * 10 + (*fmt++ - '0');
		}
		if (*fmt == '.') {
			fmt++;
			sp.prec = 0;
			if (*fmt == '*') {
				sp.prec = va_arg(ap, int);
				if (sp.prec < 0)
					sp.prec = -1;
				fmt++;
			} else {
				while (*fmt >= '0' && *fmt <= '9')
					sp.prec = sp.prec * 10 + (*fmt++ - '0');
			}
		}
		if (*fmt == 'h') {
			sp.len = -1;
			if (*++fmt == 'h') {
				sp.len = -2;
				fmt++;
			}
		} else if (*fmt == 'l') {
			sp.len = 1;
			if (*++fmt == 'l') {
				sp.len = 2;
				fmt++;
			}
		} else if (*fmt == 'z' || *fmt == 't' || *fmt == 'j') {
			sp.len = 3;
			fmt++;
		}
		char c = *fmt;
		if (!c)
			break;
		fmt++;
		uint64_t u = 0;
		int64_t s = 0;
		switch (c) {
		case 'd':
		case 'i':
			switch (sp.len) {
			case 0: s = va_arg(ap, int); break;
			case -1: s = (short)va_arg(ap, int); break;
			case -2: s = (signed char)va_arg(ap, int); break;
			default: s = va_arg(ap, long long); break;
			}
			emit_num(sink, ctx, &sp, s < 0 ? 0 - (uint64_t)s : (uint64_t)s, s < 0, 10, 0, "", &total);
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			switch (sp.len) {
			case 0: u = va_arg(ap, unsigned); break;
			case -1: u = (unsigned short)va_arg(ap, unsigned); break;
			case -2: u = (unsigned char)va_arg(ap, unsigned); break;
			default: u = va_arg(ap, unsigned long long); break;
			}
			if (c == 'u')
				emit_num(sink, ctx, &sp, u, 0, 10, 0, "", &total);
			else if (c == 'o')
				emit_num(sink, ctx, &sp, u, 0, 8, 0, sp.alt && u ? "0" : "", &total);
			else
				emit_num(sink, ctx, &sp, u, 0, 16, c == 'X', sp.alt && u ? (c == 'X' ? "0X" : "0x") : "", &total);
			break;
		case 'p':
			u = (uint64_t)(uintptr_t)va_arg(ap, void *);
			emit_num(sink, ctx, &sp, u, 0, 16, 0, "0x", &total);
			break;
		case 'c': {
			char ch = (char)va_arg(ap, int);
			int fill = sp.width > 1 ? sp.width - 1 : 0;
			if (!sp.left)
				pad(sink, ctx, ' ', fill, &total);
			sink(ctx, &ch, 1);
			total++;
			if (sp.left)
				pad(sink, ctx, ' ', fill, &total);
			break;
		}
		case 's': {
			const char *str = va_arg(ap, const char *);
			if (!str)
				str = "(null)";
			size_t n = sp.prec >= 0 ? strnlen(str, (size_t)sp.prec) : strlen(str);
			int fill = sp.width > (int)n ? sp.width - (int)n : 0;
			if (!sp.left)
				pad(sink, ctx, ' ', fill, &total);
			sink(ctx, str, n);
			total += n;
			if (sp.left)
				pad(sink, ctx, ' ', fill, &total);
			break;
		}
		case '%':
			sink(ctx, "%", 1);
			total++;
			break;
		default:
			sink(ctx, start, (size_t)(fmt - start));
			total += (size_t)(fmt - start);
			break;
		}
	}
	return total;
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
