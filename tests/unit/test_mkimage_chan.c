/* tests/unit/test_mkimage_chan.c: mkimage's channels and flow policy: [channel] sections and chan:NAME grants into the manifest, a table of bad configs with their file:line messages, denied flows with the path named, and the kernel's validator on corrupted channel records. */
#include <stdio.h>
#include <stdlib.h>
#include "tests/unit/unit.h"
#include "tests/unit/mkimage_fix.h"
#include "tools/mkimage/summary.h"
#include "tools/mkimage/config_flow.h"
#include "tools/mkimage/elf64.h"
#include "kernel/app/manifest.h"
#include "include/abi/uv_hypercall.h"

/* The record of app's channel handle (its rank among the channels the app is an end of, as
 * kernel/chan/chan.c's chan_setup hands them out), or -1. */
static int chan_of_handle(const struct uv_manifest *m, uint32_t app, uint32_t handle)
{
	const struct uv_manifest_chan *c = manifest_chans(m);
	uint32_t rank = 0;
	for (uint32_t i = 0; i < m->n_chans; i++)
		if ((c[i].sender == app || c[i].receiver == app) && rank++ == handle)
			return (int)i;
	return -1;
}

/* Every app of these configs uses a.elf, the generator's default (no stubs). */
/* Lines 1-10: apps a and b; the cases go on from line 11. */
#define TWO "[appliance]\nname = t\n[app a]\nelf = a.elf\nmemory = 4M\ngrants = chan:req\n[app b]\nelf = a.elf\nmemory = 4M\ngrants = chan:req\n"
/* Lines 11-14: a channel req from a to b. */
#define REQ "[channel req]\nsender = a\nreceiver = b\nmsg_max = 64\n"

struct bad {
	const char *conf;
	const char *want;
};

static const struct bad bad[] = {
	{ TWO "[channel]\n", "t.conf:11: [channel] needs a name: [channel NAME]" },
	{ TWO "[channel Req]\n", "t.conf:11: bad channel name 'Req': use 1-31 of a-z 0-9 _ -" },
	{ TWO REQ "[channel req]\n", "t.conf:15: duplicate channel 'req' (first at line 11)" },
	{ TWO REQ "size = 4\n", "t.conf:15: unknown key 'size' in [channel req] (known: sender receiver msg_max depth)" },
	{ TWO REQ "sender = b\n", "t.conf:15: duplicate key 'sender' in [channel req] (first set at line 12)" },
	{ TWO "[channel req]\nreceiver = b\nmsg_max = 64\n", "t.conf:11: channel 'req' has no 'sender' (the app that sends on it)" },
	{ TWO "[channel req]\nsender = a\nmsg_max = 64\n", "t.conf:11: channel 'req' has no 'receiver' (the app that receives from it)" },
	{ TWO "[channel req]\nsender = a\nreceiver = b\n", "t.conf:11: channel 'req' has no 'msg_max' (its largest message in bytes, e.g. msg_max = 256)" },
	{ TWO "[channel req]\nsender = c\nreceiver = b\nmsg_max = 64\n", "t.conf:12: channel 'req': unknown sender app 'c'" },
	{ TWO "[channel req]\nsender = a\nreceiver = web\nmsg_max = 64\n", "t.conf:13: channel 'req': unknown receiver app 'web'" },
	{ TWO "[channel req]\nsender = a\nreceiver = a\nmsg_max = 64\n", "t.conf:13: channel 'req': app 'a' cannot send to itself (sender and receiver must be two apps)" },
	{ TWO "[channel req]\nsender = a\nreceiver = b\nmsg_max = 0\n", "t.conf:14: channel 'req': msg_max '0' is outside 1..65536" },
	{ TWO "[channel req]\nsender = a\nreceiver = b\nmsg_max = 65537\n", "t.conf:14: channel 'req': msg_max '65537' is outside 1..65536" },
	{ TWO "[channel req]\nsender = a\nreceiver = b\nmsg_max = 65K\n", "t.conf:14: channel 'req': msg_max '65K' is outside 1..65536" },
	{ TWO "[channel req]\nsender = a\nreceiver = b\nmsg_max = 99999999999999999999\n", "t.conf:14: channel 'req': msg_max '99999999999999999999' is outside 1..65536" },
	{ TWO "[channel req]\nsender = a\nreceiver = b\nmsg_max = 64B\n", "t.conf:14: channel 'req': bad msg_max '64B': expected a decimal number (K for KiB)" },
	{ TWO REQ "depth = 0\n", "t.conf:15: channel 'req': depth '0' is outside 1..1024" },
	{ TWO REQ "depth = 1025\n", "t.conf:15: channel 'req': depth '1025' is outside 1..1024" },
	{ TWO REQ "depth = -1\n", "t.conf:15: channel 'req': bad depth '-1': expected a decimal number" },
	{ TWO REQ "sender = a b\n", "t.conf:15: duplicate key 'sender' in [channel req] (first set at line 12)" },
	{ TWO "[channel req]\nsender = a b\n", "t.conf:12: 'sender' takes one value, got 2" },
	{ TWO "[channel req]\nsender = A\n", "t.conf:12: channel 'req': bad sender 'A': expected an app name" },
	/* Memory: 64K x 256 is 16 MiB plus the lengths, past the limit with one channel. */
	{ TWO "[channel req]\nsender = a\nreceiver = b\nmsg_max = 64K\ndepth = 256\n",
	  "t.conf:11: channel 'req': the channels' queues need 16778240 bytes up to this one, more than the 16777216 the kernel gives channels (msg_max x depth is too large)" },
	{ TWO REQ "[channel big]\nsender = b\nreceiver = a\nmsg_max = 64K\ndepth = 255\n[channel big2]\nsender = b\nreceiver = a\nmsg_max = 64K\ndepth = 2\n",
	  "t.conf:20: channel 'big2': the channels' queues need 16844868 bytes up to this one, more than the 16777216 the kernel gives channels (msg_max x depth is too large)" },
	/* Grants. */
	{ "[appliance]\nname = t\n[app a]\nelf = a.elf\nmemory = 4M\ngrants = chan:log\n", "t.conf:6: grant 'chan:log' of app 'a': there is no channel 'log'" },
	{ TWO REQ "[app c]\nelf = a.elf\nmemory = 4M\ngrants = console chan:req\n",
	  "t.conf:18: grant 'chan:req' of app 'c': the app is not an end of channel 'req' (a -> b)" },
	{ TWO REQ "[app c]\nelf = a.elf\nmemory = 4M\ngrants = chan\n", "t.conf:18: grant 'chan' must name the channels: chan:NAME for each channel the app uses" },
	{ TWO REQ "[app c]\nelf = a.elf\nmemory = 4M\ngrants = chan:\n", "t.conf:18: grant 'chan:' names no channel: chan:NAME" },
	{ TWO REQ "[app c]\nelf = a.elf\nmemory = 4M\ngrants = chan:x chan:x\n", "t.conf:18: grant 'chan:x' is listed twice" },
	{ TWO REQ "[app c]\nelf = a.elf\nmemory = 4M\ngrants = chan:X\n", "t.conf:18: grant 'chan:X': 'X' is not a channel name (1-31 of a-z 0-9 _ -)" },
	/* The policy. */
	{ TWO REQ "[policy]\ndeny_flow = a -> b\n", "t.conf:16: deny_flow a -> b: the config lets information flow that way: a -> chan:req -> b" },
	{ TWO REQ "[policy]\ndeny_flow = a b\n", "t.conf:16: deny_flow takes 'FROM -> TO' (an app, seg:NAME, port:NAME or chan:NAME each side)" },
	{ TWO REQ "[policy]\ndeny_flow = a -> nowhere\n", "t.conf:16: deny_flow: 'nowhere' is not the name of an app, segment, port or channel in this config" },
	{ TWO REQ "[policy]\ndeny_flow = port:a -> b\n", "t.conf:16: deny_flow: 'port:a' is not a known app:, seg:, port: or chan: name in this config" },
	{ TWO REQ "[policy]\ndeny_flow = a -> app:a\n", "t.conf:16: deny_flow a -> app:a: both sides are the same thing" },
	{ TWO REQ "[policy]\nallow = a\n", "t.conf:16: unknown key 'allow' in [policy] (known: deny_flow declassify)" },
	{ TWO REQ "[policy]\ndeclassify = req\n", "t.conf:16: declassify takes a channel: declassify = chan:NAME" },
	{ TWO REQ "[policy]\ndeclassify = chan:nope\n", "t.conf:16: declassify: 'chan:nope' is not a known app:, seg:, port: or chan: name in this config" },
	{ TWO REQ "[policy]\ndeclassify = chan:req\ndeclassify = chan:req\n", "t.conf:17: declassify chan:req: already declassified at line 16" },
	{ TWO REQ "[policy]\n[policy]\n", "t.conf:16: duplicate [policy] section (first at line 15)" },
	{ TWO REQ "[policy]\ndeny_flow = b -> chan:req\n[app req]\nelf = a.elf\nmemory = 4M\n[policy x]\n",
	  "t.conf:20: unknown section [policy x] (expected [appliance], [app NAME], [port NAME], [segment NAME], [channel NAME] or [policy])" },
	{ TWO REQ "[app req]\nelf = a.elf\nmemory = 4M\n[policy]\ndeny_flow = b -> req\n",
	  "t.conf:19: deny_flow: 'req' names more than one thing: write app:req, seg:req, port:req or chan:req" },
};

TEST(bad_channel_configs)
{
	CHECK(sizeof(bad) / sizeof(bad[0]) >= 12);
	mk_default_elfs();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *got = mk_build(bad[i].conf, NULL, NULL);
		if (strcmp(got, bad[i].want)) {
			char m[1200];
			snprintf(m, sizeof(m), "case %zu: want \"%s\", got \"%s\"", i, bad[i].want, got);
			unit_fail(__FILE__, __LINE__, m);
			return;
		}
	}
}

/* The table's base is good: REQ alone builds, and b -> chan:req denied in the right direction passes. */
TEST(channel_base_builds)
{
	mk_default_elfs();
	CHECK_STR(mk_build(TWO REQ, NULL, NULL), "");
	CHECK_STR(mk_build(TWO REQ "[policy]\ndeny_flow = b -> a\ndeny_flow = b -> chan:req\n", NULL, NULL), "");
	CHECK_EQ(mk_cfg.n_warnings, 0);
}

/* Two channels, one end not granted: records, handles, flags, the summary and the warning. */
TEST(channel_records_in_manifest)
{
	mk_default_elfs();
	uint8_t *m;
	size_t len;
	CHECK_STR(mk_build("[appliance]\nname = t\n"
			   "[channel replies]\nsender = b\nreceiver = a\nmsg_max = 1K\ndepth = 4\n"    /* 3-7 */
			   "[app a]\nelf = a.elf\nmemory = 4M\ngrants = chan:req chan:replies\n"     /* 8-11 */
			   "[app b]\nelf = a.elf\nmemory = 4M\ngrants = chan:req\n"                  /* 12-15 */
			   "[channel req]\nsender = a\nreceiver = b\nmsg_max = 100\n",               /* 16-19 */
			   &m, &len), "");
	CHECK_EQ(mk_cfg.n_warnings, 1);
	CHECK_STR(mk_cfg.warnings[0], "t.conf:3: warning: channel 'replies': its sender 'b' is not granted chan:replies: it cannot send on it");
	const struct uv_manifest *h = (const struct uv_manifest *)m;
	CHECK_EQ(h->version, 5);
	CHECK_EQ(h->n_chans, 2);
	CHECK_EQ(h->chan.size, 2 * sizeof(struct uv_manifest_chan));
	const struct uv_manifest_chan *c = manifest_chans(h);
	CHECK_STR(c[0].name, "replies");
	CHECK_EQ(c[0].sender, 1);
	CHECK_EQ(c[0].receiver, 0);
	CHECK_EQ(c[0].msg_max, 1024);
	CHECK_EQ(c[0].depth, 4);
	CHECK_EQ(c[0].flags, UV_MCHAN_RECEIVER_GRANTED);
	CHECK_STR(c[1].name, "req");
	CHECK_EQ(c[1].msg_max, 100);
	CHECK_EQ(c[1].depth, UV_CHAN_DEPTH_DEFAULT);
	CHECK_EQ(c[1].flags, UV_MCHAN_SENDER_GRANTED | UV_MCHAN_RECEIVER_GRANTED);
	CHECK(h->apps[0].grants & UV_GRANT_CHAN);
	CHECK(h->apps[1].grants & UV_GRANT_CHAN);
	/* Handles: in record order among the channels the app is an end of. */
	CHECK_EQ(chan_of_handle(h, 0, 0), 0);
	CHECK_EQ(chan_of_handle(h, 0, 1), 1);
	CHECK_EQ(chan_of_handle(h, 0, 2), -1);
	CHECK_EQ(chan_of_handle(h, 1, 1), 1);
	char *text = NULL;
	size_t tlen = 0;
	FILE *f = open_memstream(&text, &tlen);
	manifest_summary(f, m);
	fclose(f);
	CHECK(strstr(text, "2 channels; manifest") != NULL);
	CHECK(strstr(text, "    chan 0 replies: receives from b, msg_max 1024, depth 4, granted\n"
			   "    chan 1 req: sends to b, msg_max 100, depth 16, granted\n") != NULL);
	CHECK(strstr(text, "    chan 0 replies: sends to a, msg_max 1024, depth 4, NOT granted\n") != NULL);
	free(text);
	free(m);
}

/* A config that keeps the chan stub without a chan grant is refused with the hint. */
TEST(channel_stub_needs_grant)
{
	struct gen_elf g;
	gen_default(&g);
	gen_add_sym(&g, "uv_hc_chan_send", 0x200100, 8, STT_FUNC);
	mk_set_elf(0, &g);
	CHECK_STR(mk_build("[appliance]\nname = t\n[app a]\nelf = a.elf\nmemory = 4M\ngrants = console\n", NULL, NULL),
		  "t.conf:6: app 'a' contains the chan_send stub but is not granted 'chan' (grant chan:NAME for one of its channels)");
}

/* The vault shape: a front end on the LAN between the vault and the uplink, with a logger in between. */
#define VAULT_LIKE(relay_seg) \
	"[appliance]\nname = t\n"                                                         /* 1-2 */ \
	"[port uplink]\ndriver = e1000\n"                                                 /* 3-4 */ \
	"[segment lan]\nport = uplink\n"                                                  /* 5-6 */ \
	"[segment back]\n"                                                                /* 7 */ \
	"[app vault]\nelf = a.elf\nmemory = 4M\ngrants = chan:req chan:sig\n"             /* 8-11 */ \
	"[app web]\nelf = a.elf\nmemory = 4M\nnic = eth0 segment=lan\n"                   /* 12-15 */ \
	"grants = net:eth0 chan:req\n"                                                    /* 16 */ \
	"[app log]\nelf = a.elf\nmemory = 4M\nnic = eth0 segment=back\ngrants = net:eth0 chan:sig\n" /* 17-21 */ \
	"[app relay]\nelf = a.elf\nmemory = 4M\nnic = eth0 segment=back\nnic = eth1 segment=" relay_seg "\n"  /* 22-26 */ \
	"grants = net:eth0 net:eth1\n"                                                    /* 27 */ \
	"[channel req]\nsender = web\nreceiver = vault\nmsg_max = 256\n"                  /* 28-31 */ \
	"[channel sig]\nsender = vault\nreceiver = log\nmsg_max = 64\n"                   /* 32-35 */ \
	"[policy]\n"                                                                      /* 36 */

/* A denied flow through two intermediate apps (log and relay) is found and its path named. */
TEST(flow_denied_through_two_apps)
{
	mk_default_elfs();
	char conf[4096];
	snprintf(conf, sizeof(conf), "%sdeny_flow = vault -> uplink\n", VAULT_LIKE("lan"));
	CHECK_STR(mk_build(conf, NULL, NULL),
		  "t.conf:37: deny_flow vault -> uplink: the config lets information flow that way: "
		  "vault -> chan:sig -> log -> seg:back -> relay -> seg:lan -> port:uplink");
	/* The front end can reach the vault (requests), and the vault's answers leave only through log. */
	snprintf(conf, sizeof(conf), "%sdeny_flow = port:uplink -> vault\n", VAULT_LIKE("lan"));
	CHECK_STR(mk_build(conf, NULL, NULL),
		  "t.conf:37: deny_flow port:uplink -> vault: the config lets information flow that way: "
		  "port:uplink -> seg:lan -> web -> chan:req -> vault");
}

/* A declassified channel is a trust statement: the vault's outputs on it are no flow, its inputs still are. */
TEST(flow_declassified_channel)
{
	mk_default_elfs();
	char conf[4096];
	snprintf(conf, sizeof(conf), "%sdeclassify = chan:sig\ndeny_flow = vault -> uplink\n", VAULT_LIKE("lan"));
	CHECK_STR(mk_build(conf, NULL, NULL), "");
	snprintf(conf, sizeof(conf), "%sdeclassify = chan:sig\ndeny_flow = port:uplink -> vault\n", VAULT_LIKE("lan"));
	CHECK_STR(mk_build(conf, NULL, NULL),
		  "t.conf:38: deny_flow port:uplink -> vault: the config lets information flow that way: "
		  "port:uplink -> seg:lan -> web -> chan:req -> vault");
}

/* Without the relay's second vNIC the vault's side is closed: the rule holds and the graph prints. */
TEST(flow_allowed_when_no_path)
{
	mk_default_elfs();
	char conf[4096];
	snprintf(conf, sizeof(conf), "%sdeny_flow = vault -> uplink\ndeny_flow = log -> web\n", VAULT_LIKE("back"));
	CHECK_STR(mk_build(conf, NULL, NULL), "");
	char *text = NULL;
	size_t tlen = 0;
	FILE *f = open_memstream(&text, &tlen);
	flow_print(f, &mk_cfg);
	fclose(f);
	CHECK(strstr(text, " vault -> chan:sig,") != NULL);
	CHECK(strstr(text, " web <-> seg:lan,") != NULL);
	CHECK(strstr(text, " seg:lan <-> port:uplink") != NULL);
	CHECK(strstr(text, " chan:req -> vault") != NULL);
	CHECK(strstr(text, "  deny_flow vault -> uplink: no path (checked)\n  deny_flow log -> web: no path (checked)\n") != NULL);
	free(text);
}

/* The kernel's validator on the channel records of a built manifest, each corrupted in turn. */
TEST(manifest_channel_fields_corrupted)
{
	mk_default_elfs();
	uint8_t *m;
	size_t len;
	CHECK_STR(mk_build(TWO REQ, &m, &len), "");
	struct manifest_error e;
	CHECK_EQ(manifest_check(m, len, &e), 0);
	struct uv_manifest *h = (struct uv_manifest *)m;
	struct uv_manifest_chan *c = (struct uv_manifest_chan *)(m + h->chan.off), keep = *c;
	struct uv_manifest hkeep = *h;
	static const struct {
		const char *what, *want;
	} cases[] = {
		{ "name", "channel 0: name is not 1-31 of [a-z0-9_-] padded with NULs" },
		{ "sender", "channel 0 'req': sender 16 or receiver 1 is not one of the 2 apps" },
		{ "self", "channel 0 'req': app 0 is both its sender and its receiver" },
		{ "msg_max", "channel 0 'req': msg_max 65537 is outside 1..65536" },
		{ "depth", "channel 0 'req': depth 0 is outside 1..1024" },
		{ "flags", "channel 0 'req': unknown flags 0x4" },
		{ "reserved", "channel 0 'req': reserved field is not zero" },
		{ "grant", "app 0 'a': grants has chan but none of its channel ends is granted" },
		{ "n_chans", "manifest has 65 channels (at most 64)" },
		{ "size", "chan blob is 55 bytes, not the 56 of 1 channels" },
		{ "off", "chan blob [0x1, +0x38) is misaligned or outside the manifest's blobs ..." },
		{ "reserved1", "manifest reserved1 0x1 is not zero" },
		{ "memory", "the channels' queues need ..." },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		*c = keep;
		*h = hkeep;
		switch (i) {
		case 0: c->name[0] = 'A'; break;
		case 1: c->sender = 16; break;
		case 2: c->receiver = c->sender; break;
		case 3: c->msg_max = UV_CHAN_MSG_MAX + 1; break;
		case 4: c->depth = 0; break;
		case 5: c->flags |= 4; break;
		case 6: c->reserved = 1; break;
		case 7: c->flags = UV_MCHAN_RECEIVER_GRANTED; break;
		case 8: h->n_chans = UV_MANIFEST_MAX_CHANS + 1; break;
		case 9: h->chan.size--; break;
		case 10: h->chan.off = 1; break;
		case 11: h->reserved1 = 1; break;
		default: c->msg_max = UV_CHAN_MSG_MAX; c->depth = UV_CHAN_DEPTH_MAX; break;
		}
		int r = manifest_check(m, len, &e);
		size_t n = strlen(cases[i].want);
		int ok = r == -UV_EINVAL && (n > 3 && !strcmp(cases[i].want + n - 3, "...") ? !strncmp(e.msg, cases[i].want, n - 3)
										       : !strcmp(e.msg, cases[i].want));
		if (!ok) {
			char msg[600];
			snprintf(msg, sizeof(msg), "%s: returned %d, message \"%s\" (want \"%s\")", cases[i].what, r, e.msg,
				 cases[i].want);
			unit_fail(__FILE__, __LINE__, msg);
		}
	}
	*c = keep;
	*h = hkeep;
	CHECK_EQ(manifest_check(m, len, &e), 0);
	free(m);
}
