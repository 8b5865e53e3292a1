/* kernel/lib/prot.h: what a mapping allows or an access did, in one vocabulary for page tables, EPT/NPT mappings and exits. */
#ifndef KERNEL_LIB_PROT_H
#define KERNEL_LIB_PROT_H

/* Each table format turns these into its own bits (kernel/mm/pt.h, hv/vmx/ept.c). */
#define PROT_R 1u
#define PROT_W 2u
#define PROT_X 4u
#define PROT_RWX (PROT_R | PROT_W | PROT_X)

#endif
