/* apps/firewall/rules.h: the filter rules: their grammar (README.md), parsing with clear errors, first-match lookup. */
#ifndef APPS_FIREWALL_RULES_H
#define APPS_FIREWALL_RULES_H

#include <stddef.h>
#include <stdint.h>
#include "parse.h"

#define FW_RULES_MAX 64        /* rules an app takes (the config's args hold 3 KiB anyway) */
#define FW_RULE_TEXT_MAX 512   /* characters in one rule */
#define FW_ERR_MAX 160         /* room for an error message */

/* Which way a frame goes through the bridge. */
enum fw_dir {
	FW_DIR_OUT = 0, /* inside -> outside: arrived on vNIC 1, leaves by vNIC 0 */
	FW_DIR_IN = 1,  /* outside -> inside: arrived on vNIC 0, leaves by vNIC 1 */
	FW_DIRS = 2
};
#define FW_DIR_BIT(d) (1u << (d))
#define FW_DIR_BOTH (FW_DIR_BIT(FW_DIR_OUT) | FW_DIR_BIT(FW_DIR_IN))

struct fw_prefix {
	uint32_t addr, mask; /* host order; addr has no bits outside mask */
	uint8_t len;         /* 0..32 */
};

struct fw_ports {
	uint16_t lo, hi; /* inclusive; 0..65535 when the rule names none */
};

struct fw_rule {
	uint8_t allow;  /* 1 allow, 0 deny */
	uint8_t dirs;   /* FW_DIR_BIT()s the rule applies to */
	uint8_t proto;  /* FW_PROTO_*, or 0 for any protocol */
	struct fw_prefix src, dst;
	struct fw_ports sport, dport;
};

/*
 * Parses one rule ("allow in tcp dst 10.0.2.0/24 port 80"). Returns 0 and fills *rule,
 * or -UV_EINVAL with a message naming the offending word in err[0, errlen) and *rule
 * untouched.
 */
int fw_rule_parse(const char *text, struct fw_rule *rule, char *err, size_t errlen);

/* Whether rule r applies to an IPv4 packet p going in direction dir. */
int fw_rule_match(const struct fw_rule *r, enum fw_dir dir, const struct fw_pkt *p);

/* The index of the first of rules[0, n) that matches, or -1 when none does. */
int fw_rules_first(const struct fw_rule *rules, unsigned n, enum fw_dir dir, const struct fw_pkt *p);

/*
 * Writes rule r in its canonical form (every clause spelt out, parseable again) into
 * buf[0, len), NUL-terminated; returns the length it needed (like snprintf).
 */
int fw_rule_format(const struct fw_rule *r, char *buf, size_t len);

#endif
