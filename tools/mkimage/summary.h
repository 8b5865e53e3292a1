/* tools/mkimage/summary.h: what mkimage prints about the image it built: the apps and the network. */
#ifndef TOOLS_MKIMAGE_SUMMARY_H
#define TOOLS_MKIMAGE_SUMMARY_H

#include <stdint.h>
#include <stdio.h>

/*
 * Writes a few lines describing the manifest m (which passed manifest_check): the
 * appliance, each app with its vNICs, the ports and the segments with who is on them.
 */
void manifest_summary(FILE *f, const uint8_t *m);

#endif
