/* tests/attack/div0/main.c: divides by zero: stopped with #DE. */
#include "tests/attack/attack.h"
int main(void)
{
	volatile unsigned zero = 0;
	unsigned q = 100 / zero;
	put_num("ESCAPED: quotient", q, 0);
	return 0;
}
