/* kernel/app/appliance.h: runs the appliance embedded in the image: its manifest, its apps, until all have ended. */
#ifndef KERNEL_APPLIANCE_H
#define KERNEL_APPLIANCE_H

#include "kernel/boot/boot.h"

/* Returns 0 when every app ended normally, non-zero when the appliance could not run
 * (no hardware virtualization, a corrupted manifest) or an app failed. */
int appliance_run(const struct boot_info *bi);

#endif
