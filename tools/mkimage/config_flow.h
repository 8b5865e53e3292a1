/* tools/mkimage/config_flow.h: the flow graph of a parsed config, printed for the summary. */
#ifndef TOOLS_MKIMAGE_CONFIG_FLOW_H
#define TOOLS_MKIMAGE_CONFIG_FLOW_H

#include <stdio.h>
#include "tools/mkimage/config.h"

/* Writes the edges of c's flow graph (config_flow.c) on one line and each deny_flow rule it proved. */
void flow_print(FILE *f, const struct config *c);

#endif
