/* kernel/appliance.c: finds the embedded manifest and runs its apps (placeholder until the vCPU layer lands). */
#include "kernel/appliance.h"
#include "kernel/console.h"
#include "kernel/mm.h"

int appliance_run(const struct boot_info *bi)
{
	(void)bi;
	uint64_t size = (uint64_t)(uintptr_t)__uv_payload_end - (uint64_t)(uintptr_t)__uv_payload_start;
	if (size == 0) {
		kprintf("appliance: this image holds no apps\n");
		return 0;
	}
	kprintf("appliance: %llu bytes of payload, but this kernel cannot run apps yet\n", (unsigned long long)size);
	return 1;
}
