/* tests/unit/unit.h: a tiny unit-test framework: TEST() registers, CHECK() fails the test with file:line. */
#ifndef TESTS_UNIT_UNIT_H
#define TESTS_UNIT_UNIT_H

#include <stdio.h>
#include <string.h>

typedef void (*unit_fn)(void);
void unit_register(const char *suite, const char *name, unit_fn fn);
void unit_fail(const char *file, int line, const char *what);
int unit_failed(void);

/* The suite is the file's name without directory and ".c". */
#define TEST(name)                                                             \
	static void test_##name(void);                                         \
	__attribute__((constructor)) static void register_##name(void)         \
	{                                                                      \
		unit_register(__FILE__, #name, test_##name);                   \
	}                                                                      \
	static void test_##name(void)

#define CHECK(c)                                                               \
	do {                                                                   \
		if (!(c)) {                                                    \
			unit_fail(__FILE__, __LINE__, #c);                     \
			return;                                                \
		}                                                              \
	} while (0)
#define CHECK_EQ(a, b)                                                                         \
	do {                                                                                   \
		long long _a = (long long)(a), _b = (long long)(b);                            \
		if (_a != _b) {                                                                \
			char _m[256];                                                          \
			snprintf(_m, sizeof(_m), "%s == %s (%lld != %lld)", #a, #b, _a, _b);   \
			unit_fail(__FILE__, __LINE__, _m);                                     \
			return;                                                                \
		}                                                                              \
	} while (0)
#define CHECK_STR(a, b)                                                                        \
	do {                                                                                   \
		const char *_a = (a), *_b = (b);                                               \
		if (!_a || !_b || strcmp(_a, _b)) {                                            \
			char _m[512];                                                          \
			snprintf(_m, sizeof(_m), "%.100s == \"%.150s\" (got \"%.150s\")", #a, _b ? _b : "(null)", _a ? _a : "(null)"); \
			unit_fail(__FILE__, __LINE__, _m);                                     \
			return;                                                                \
		}                                                                              \
	} while (0)

#endif
