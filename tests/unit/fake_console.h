/* tests/unit/fake_console.h: what the fake kprintf wrote (tests/unit/fake_console.c). */
#ifndef TESTS_UNIT_FAKE_CONSOLE_H
#define TESTS_UNIT_FAKE_CONSOLE_H

#include <stddef.h>

#define FAKE_CONSOLE_MAX 65536
extern char fake_console_out[FAKE_CONSOLE_MAX]; /* NUL-terminated */
extern size_t fake_console_len;
/* Empties fake_console_out. */
void fake_console_reset(void);

#endif
