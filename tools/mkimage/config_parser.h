/* tools/mkimage/config_parser.h: internal to the config parser: the state config.c and config_net.c share, and their helpers. */
#ifndef TOOLS_MKIMAGE_CONFIG_PARSER_H
#define TOOLS_MKIMAGE_CONFIG_PARSER_H

#include "tools/mkimage/config.h"

enum cfg_section { S_NONE, S_APPLIANCE, S_APP, S_PORT, S_SEGMENT, S_CHANNEL, S_POLICY };

struct parser {
	const char *file;
	struct config *cfg;
	char *err;
	size_t errlen;
	unsigned line;                 /* the line being read */
	enum cfg_section section;
	unsigned appliance_name_line;
	unsigned appliance_hv_line;
};

/* Writes "file:line: message" to p->err; returns -1. */
int cfg_fail(struct parser *p, unsigned line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Records "file:line: warning: message" in p->cfg (the first CFG_WARN_MAX are kept, all counted). */
void cfg_warn(struct parser *p, unsigned line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The one word of a single-valued key into out[outlen], or -1 with an error. */
int cfg_one_word(struct parser *p, const char *key, const char *value, char *out, size_t outlen);

/*
 * The decimal digits at the start of w into *out, *end past them; max must be below
 * UINT64_MAX / 10. Returns 0, -1 when w starts with no digit, -2 when the number
 * exceeds max (it stops there: no overflow whatever w holds).
 */
int cfg_decimal(const char *w, uint64_t max, uint64_t *out, const char **end);

/* The network parts of the config (config_net.c). Each returns 0 or -1 with p->err set. */
int net_section_start(struct parser *p, enum cfg_section kind, const char *name); /* [port NAME] / [segment NAME] */
int net_section_key(struct parser *p, const char *key, const char *value);        /* a key of the current one */
int net_section_end(struct parser *p);                                            /* its required keys */
int net_vnic_line(struct parser *p, struct cfg_app *a, unsigned app, const char *value); /* nic = ... */
int net_grant(struct parser *p, struct cfg_app *a, const char *grant);            /* net / net: / net:NAME */
int net_app_end(struct parser *p, struct cfg_app *a, unsigned app);               /* its net:NAME resolved */
int net_finish(struct parser *p);       /* at the end: names resolved, everything used, MACs set and unique */

/* The channels (config_chan.c). Each returns 0 or -1 with p->err set. */
int chan_section_start(struct parser *p, const char *name);                 /* [channel NAME] */
int chan_section_key(struct parser *p, const char *key, const char *value); /* sender receiver msg_max depth */
int chan_section_end(struct parser *p);                                     /* its required keys */
int chan_grant(struct parser *p, struct cfg_app *a, const char *grant);     /* chan / chan: / chan:NAME */
int chan_finish(struct parser *p); /* at the end: apps resolved, grants matched to ends, limits */

/* The flow policy (config_flow.c). Each returns 0 or -1 with p->err set. */
int flow_section_start(struct parser *p);                                   /* [policy] */
int flow_section_key(struct parser *p, const char *key, const char *value); /* deny_flow = A -> B */
int flow_finish(struct parser *p); /* at the very end: every denied flow is absent from the graph */

#endif
