/* kernel/arch/exc.h: the names of the x86 exception vectors, for every report (kernel/arch/exc.c). */
#ifndef KERNEL_ARCH_EXC_H
#define KERNEL_ARCH_EXC_H

/* "#UD"; "#?" for a vector with no name. */
const char *exc_mnemonic(unsigned vector);
/* "invalid opcode"; "exception" for a vector with no name. */
const char *exc_words(unsigned vector);

#endif
