/* tests/attack/ud2/main.c: executes UD2 inside a named function: stopped with #UD at that symbol (a name too long
 * for the report, which keeps its first 104 characters and the offset). */
#include "tests/attack/attack.h"
__attribute__((noinline)) void crash_here_in_a_function_whose_name_is_longer_than_the_crash_report_has_room_for_so_that_the_report_cuts_it_and_still_ends_with_the_offset(void)
{
	__asm__ volatile("nop\n ud2");
}
int main(void)
{
	crash_here_in_a_function_whose_name_is_longer_than_the_crash_report_has_room_for_so_that_the_report_cuts_it_and_still_ends_with_the_offset();
	puts_("ESCAPED: ud2 returned\n");
	return 0;
}
