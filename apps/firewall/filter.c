/* apps/firewall/filter.c: one frame's verdict: parse, then the connection table, then the rules, then the direction's default. */
#include "filter.h"

/* The verdict of an IPv4 packet that parsed. */
static enum fw_reason decide_ipv4(struct fw *fw, enum fw_dir dir, const struct fw_pkt *p, uint64_t now)
{
	if (fw_ct_track(&fw->ct, dir, p, now) != FW_CT_NONE)
		return FW_R_PASS_STATE;
	int i = fw_rules_first(fw->rules, fw->n_rules, dir, p);
	enum fw_reason r;
	if (i >= 0)
		r = fw->rules[i].allow ? FW_R_PASS_RULE : FW_R_DENY_RULE;
	else
		r = dir == FW_DIR_OUT ? FW_R_PASS_DEFAULT : FW_R_DENY_DEFAULT;
	if (fw_reason_passes(r) && fw_ct_create(&fw->ct, dir, p, now) < 0)
		return FW_R_TABLE_FULL;
	return r;
}

enum fw_reason fw_filter(struct fw *fw, enum fw_dir dir, const uint8_t *frame, size_t len, uint64_t now)
{
	struct fw_pkt p;

	if ((unsigned)dir >= FW_DIRS)
		return FW_R_DENY_DEFAULT; /* not a direction: nothing to count it in */
	enum fw_reason r = fw_parse(frame, len, &p);
	if (r == FW_R_OK)
		r = p.l3 == FW_L3_ARP ? FW_R_PASS_ARP : decide_ipv4(fw, dir, &p, now);
	fw->dir[dir].reason[r]++;
	return r;
}

uint64_t fw_stats_total(const struct fw_dir_stats *s, int pass)
{
	uint64_t n = 0;

	for (int r = FW_R_OK + 1; r < FW_R_COUNT; r++)
		if (fw_reason_passes((enum fw_reason)r) == !!pass)
			n += s->reason[r];
	return n;
}
