/* kernel/lib/bytesum.h: the 8-bit sum the firmware's tables are checked by (ACPI RSDP and system description tables). */
#ifndef KERNEL_LIB_BYTESUM_H
#define KERNEL_LIB_BYTESUM_H

#include <stddef.h>
#include <stdint.h>

/* The sum of n bytes modulo 256: 0 for a table whose checksum is right (ACPI 6.x 5.2.5.3, 5.2.6). */
static inline uint8_t bytesum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;
	for (size_t i = 0; i < n; i++)
		s = (uint8_t)(s + p[i]);
	return s;
}

#endif
