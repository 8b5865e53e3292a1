/* apps/firewall/options.h: the firewall's command line (its config's args): options and one rule per argument. */
#ifndef APPS_FIREWALL_OPTIONS_H
#define APPS_FIREWALL_OPTIONS_H

#include <stddef.h>
#include "rules.h"

#define FW_REPORT_DEFAULT_S 10   /* seconds between reports unless --report says */
#define FW_SECONDS_MAX 86400     /* the largest --report / --exit-after */
#define FW_LOG_MAX 100000        /* the largest --log */
#define FW_OPT_ERR_MAX (FW_ERR_MAX + 96) /* room for an error with the argument quoted */

struct fw_options {
	struct fw_rule rules[FW_RULES_MAX];
	unsigned n_rules;
	unsigned report_s;     /* seconds between counter reports; 0 = only at exit */
	unsigned exit_after_s; /* end after this many seconds; 0 = run until stopped */
	unsigned log_drops;    /* print the first this many dropped frames */
};

/*
 * Reads argv[1, argc): "--report N", "--exit-after N", "--log N", and rules (one per
 * argument, README.md). Returns 0 with *o filled, or -UV_EINVAL with an error naming the
 * argument ("argument 3 ('deny udp src 10.0.0.0/33'): ...") in err[0, errlen).
 */
int fw_options_parse(int argc, char *const argv[], struct fw_options *o, char *err, size_t errlen);

#endif
