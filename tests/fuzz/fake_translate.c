/* tests/fuzz/fake_translate.c: hv_vm_translate over struct fake_vm: gpa < size is the image (minus the hole page), anything else fails. */
#include "tests/fuzz/fake_translate.h"
#include "include/abi/uv_errno.h"

int hv_vm_translate(struct hv_vm *vm, uint64_t gpa, uint64_t *hpa, unsigned *prot)
{
	struct fake_vm *f = (struct fake_vm *)vm;
	f->translations++;
	if (gpa >= f->size || gpa / 4096 == f->hole)
		return -UV_EFAULT;
	*hpa = (uint64_t)(uintptr_t)(f->img + gpa);
	*prot = PROT_R | PROT_W | PROT_X;
	return 0;
}
