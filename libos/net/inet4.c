/* libos/net/inet4.c: POSIX's strict IPv4 text form for inet_pton (pure: also built and unit-tested on the host). */
#include "../libos.h"

#define OCTET_MAX 255
#define OCTET_DIGITS_MAX 3

int uv_inet_pton4(const char *src, uint8_t out[4])
{
	uint8_t a[4];
	for (int part = 0; part < 4; part++) {
		unsigned v = 0, digits = 0;
		while (*src >= '0' && *src <= '9' && digits <= OCTET_DIGITS_MAX) {
			if (digits == 1 && v == 0)
				return 0; /* a leading zero (octal to inet_aton): refused, as glibc does */
			v = v * 10 + (unsigned)(*src++ - '0');
			digits++;
		}
		if (digits == 0 || digits > OCTET_DIGITS_MAX || v > OCTET_MAX)
			return 0;
		a[part] = (uint8_t)v;
		if (part < 3 && *src++ != '.')
			return 0;
	}
	if (*src)
		return 0;
	for (int i = 0; i < 4; i++)
		out[i] = a[i];
	return 1;
}
