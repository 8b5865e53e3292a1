/* tools/mkimage/config.c: the appliance config parser: INI lines -> struct config, every mistake as file:line. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "tools/mkimage/config_parser.h"
#include "tools/mkimage/words.h"
#include "kernel/app/manifest.h"
#include "include/abi/uv_hypercall.h"

#define RESTART_LIMIT_DEFAULT 5

int cfg_fail(struct parser *p, unsigned line, const char *fmt, ...)
{
	char m[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m, sizeof(m), fmt, ap);
	va_end(ap);
	snprintf(p->err, p->errlen, "%s:%u: %s", p->file, line, m);
	return -1;
}

void cfg_warn(struct parser *p, unsigned line, const char *fmt, ...)
{
	struct config *c = p->cfg;
	if (c->n_warnings++ >= CFG_WARN_MAX)
		return;
	char *w = c->warnings[c->n_warnings - 1];
	int n = snprintf(w, CFG_WARN_LEN, "%s:%u: warning: ", p->file, line);
	if (n < 0 || n >= CFG_WARN_LEN)
		return; /* a file name that long leaves no room: the prefix alone, cut */
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(w + n, CFG_WARN_LEN - (size_t)n, fmt, ap);
	va_end(ap);
}

#define fail cfg_fail
#define one_word cfg_one_word
static const struct {
	const char *name;
	uint64_t bit;
} grant_names[] = {
	{ "base", UV_GRANT_BASE },   { "console", UV_GRANT_CONSOLE }, { "clock", UV_GRANT_CLOCK },
	{ "random", UV_GRANT_RANDOM }, { "net", UV_GRANT_NET },       { "chan", UV_GRANT_CHAN },
};

const char *config_grant_name(uint64_t g)
{
	for (size_t i = 0; i < sizeof(grant_names) / sizeof(grant_names[0]); i++)
		if (grant_names[i].bit == g)
			return grant_names[i].name;
	return "?";
}

/* Parses "<digits>[K|M|G]" into *v. Returns 0, or -1 when malformed, -2 on overflow. */
static int parse_size(const char *s, uint64_t *v)
{
	uint64_t n = 0;
	size_t i = 0;
	if (s[0] < '0' || s[0] > '9')
		return -1;
	for (; s[i] >= '0' && s[i] <= '9'; i++) {
		if (n > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return -2;
		n = n * 10 + (uint64_t)(s[i] - '0');
	}
	unsigned shift = 0;
	if (s[i] == 'K')
		shift = 10;
	else if (s[i] == 'M')
		shift = 20;
	else if (s[i] == 'G')
		shift = 30;
	else if (s[i])
		return -1;
	if (shift && s[i + 1])
		return -1;
	if (n > (UINT64_MAX >> shift))
		return -2;
	*v = n << shift;
	return 0;
}

int cfg_one_word(struct parser *p, const char *key, const char *value, char *out, size_t outlen)
{
	struct words w;
	const char *why = words_split(value, &w);
	if (why)
		return fail(p, p->line, "'%s': %s", key, why);
	if (w.n != 1)
		return fail(p, p->line, "'%s' takes one value, got %u", key, w.n);
	if (strlen(w.buf) >= outlen)
		return fail(p, p->line, "'%s' value is too long (at most %zu bytes)", key, outlen - 1);
	strcpy(out, w.buf);
	return 0;
}

static int size_value(struct parser *p, const char *key, const char *value, uint64_t *out)
{
	char w[64];
	if (one_word(p, key, value, w, sizeof(w)))
		return -1;
	int r = parse_size(w, out);
	if (r == -2)
		return fail(p, p->line, "%s '%s' is too large", key, w);
	if (r)
		return fail(p, p->line, "bad %s '%s': expected a number of bytes with an optional K, M or G suffix", key, w);
	if (*out % UV_PAGE_SIZE)
		return fail(p, p->line, "%s '%s' is not a multiple of 4 KiB", key, w);
	return 0;
}

int cfg_decimal(const char *w, uint64_t max, uint64_t *out, const char **end)
{
	uint64_t n = 0;
	const char *c = w;
	for (; *c >= '0' && *c <= '9'; c++) {
		n = n * 10 + (uint64_t)(*c - '0'); /* n <= max < UINT64_MAX / 10 before this step: no wrap */
		if (n > max)
			return -2;
	}
	*end = c;
	*out = n;
	return c == w ? -1 : 0;
}

/* A decimal number up to max, followed by nothing or (when sfx is given) a suffix copied to sfx. */
static int uint_value(struct parser *p, const char *key, const char *value, uint64_t max, uint64_t *out,
		      char *sfx, size_t sfxlen)
{
	char w[64];
	const char *end;
	if (one_word(p, key, value, w, sizeof(w)))
		return -1;
	int r = cfg_decimal(w, max, out, &end);
	if (r == -2)
		return fail(p, p->line, "%s '%s' is too large (at most %llu)", key, w, (unsigned long long)max);
	if (r || (!sfx && *end))
		return fail(p, p->line, "bad %s '%s': expected a decimal number", key, w);
	if (sfx)
		snprintf(sfx, sfxlen, "%s", end);
	return 0;
}

static int app_key(struct parser *p, struct cfg_app *a, const char *key, const char *value)
{
	static const char *const keys[K_APP_KEYS] = {
		[K_ELF] = "elf", [K_MEMORY] = "memory", [K_STACK] = "stack", [K_ARGS] = "args",
		[K_GRANTS] = "grants", [K_RESTART] = "restart", [K_RESTART_LIMIT] = "restart_limit",
		[K_RESTART_BACKOFF] = "restart_backoff", [K_EXCEPTIONS] = "exceptions",
	};
	if (!strcmp(key, "nic")) /* one line per vNIC: no duplicate-key rule */
		return net_vnic_line(p, a, p->cfg->n_apps - 1, value);
	int k = 0;
	while (k < K_APP_KEYS && strcmp(keys[k], key))
		k++;
	if (k == K_APP_KEYS)
		return fail(p, p->line, "unknown key '%s' in [app %s] (known: elf memory stack args grants restart "
			    "restart_limit restart_backoff exceptions nic)", key, a->name);
	if (a->key_line[k])
		return fail(p, p->line, "duplicate key '%s' in [app %s] (first set at line %u)", key, a->name,
			    a->key_line[k]);
	a->key_line[k] = p->line;

	char w[64];
	uint64_t n;
	struct words ws;
	const char *why;
	switch (k) {
	case K_ELF:
		if (one_word(p, key, value, a->elf, sizeof(a->elf)))
			return -1;
		return a->elf[0] ? 0 : fail(p, p->line, "'elf' is empty");
	case K_MEMORY:
		if (size_value(p, key, value, &a->mem_size))
			return -1;
		if (a->mem_size < UV_GUEST_MEM_MIN)
			return fail(p, p->line, "memory %lluK is below the minimum %lluK", (unsigned long long)(a->mem_size >> 10),
				    (unsigned long long)(UV_GUEST_MEM_MIN >> 10));
		if (a->mem_size > UV_GUEST_MEM_MAX)
			return fail(p, p->line, "memory %lluK is above the maximum %lluK", (unsigned long long)(a->mem_size >> 10),
				    (unsigned long long)(UV_GUEST_MEM_MAX >> 10));
		return 0;
	case K_STACK:
		if (size_value(p, key, value, &a->stack_size))
			return -1;
		if (a->stack_size == 0)
			return fail(p, p->line, "stack must not be 0");
		return 0;
	case K_ARGS:
		if ((why = words_split(value, &ws)))
			return fail(p, p->line, "'args': %s", why);
		if (a->args_len + ws.len > sizeof(a->args))
			return fail(p, p->line, "args are too long: %u bytes with argv[0] and the NULs, at most %zu",
				    a->args_len + ws.len, sizeof(a->args));
		memcpy(a->args + a->args_len, ws.buf, ws.len);
		a->args_len += ws.len;
		a->argc += ws.n;
		return 0;
	case K_GRANTS:
		if ((why = words_split(value, &ws)))
			return fail(p, p->line, "'grants': %s", why);
		for (const char *g = ws.buf; g < ws.buf + ws.len; g += strlen(g) + 1) {
			size_t i = 0;
			while (i < sizeof(grant_names) / sizeof(grant_names[0]) && strcmp(grant_names[i].name, g))
				i++;
			if (!strcmp(g, "net") || !strncmp(g, "net:", 4)) {
				if (net_grant(p, a, g))
					return -1;
				continue;
			}
			if (!strcmp(g, "chan") || !strncmp(g, "chan:", 5)) {
				if (chan_grant(p, a, g))
					return -1;
				continue;
			}
			if (i == sizeof(grant_names) / sizeof(grant_names[0]))
				return fail(p, p->line, "unknown grant '%s' (known: console clock random net:NIC chan:CHANNEL)", g);
			if (a->grants & grant_names[i].bit & ~(uint64_t)UV_GRANT_BASE)
				return fail(p, p->line, "grant '%s' is listed twice", g);
			a->grants |= grant_names[i].bit;
		}
		return 0;
	case K_RESTART:
		if (one_word(p, key, value, w, sizeof(w)))
			return -1;
		if (!strcmp(w, "never"))
			a->restart = UV_RESTART_NEVER;
		else if (!strcmp(w, "always"))
			a->restart = UV_RESTART_ALWAYS;
		else if (!strcmp(w, "on-failure"))
			a->restart = UV_RESTART_ON_FAILURE;
		else
			return fail(p, p->line, "bad restart '%s': expected never, always or on-failure", w);
		return 0;
	case K_RESTART_LIMIT:
		if (uint_value(p, key, value, MANIFEST_RESTART_LIMIT_MAX, &n, NULL, 0))
			return -1;
		a->restart_limit = (uint32_t)n;
		return 0;
	case K_RESTART_BACKOFF: {
		char sfx[8];
		if (uint_value(p, key, value, MANIFEST_BACKOFF_MAX_MS, &n, sfx, sizeof(sfx)))
			return -1;
		if (!strcmp(sfx, "s"))
			n *= 1000;
		else if (strcmp(sfx, "ms"))
			return fail(p, p->line, "bad restart_backoff '%s': expected a number with an ms or s suffix", value);
		if (n > MANIFEST_BACKOFF_MAX_MS)
			return fail(p, p->line, "restart_backoff '%s' is too long (at most %us)", value,
				    MANIFEST_BACKOFF_MAX_MS / 1000);
		a->restart_backoff_ms = (uint32_t)n;
		return 0;
	}
	default: /* K_EXCEPTIONS */
		if (one_word(p, key, value, w, sizeof(w)))
			return -1;
		if (!strcmp(w, "guest"))
			a->flags |= UV_APP_GUEST_EXCEPTIONS;
		else if (strcmp(w, "intercept"))
			return fail(p, p->line, "bad exceptions '%s': expected intercept or guest", w);
		return 0;
	}
}

/* Checks a finished [app] section and applies the defaults. */
static int app_end(struct parser *p, struct cfg_app *a)
{
	if (!a->key_line[K_ELF])
		return fail(p, a->line, "app '%s' has no 'elf' (the app's ELF file)", a->name);
	if (!a->key_line[K_MEMORY])
		return fail(p, a->line, "app '%s' has no 'memory' (e.g. memory = 8M)", a->name);
	if (!a->key_line[K_STACK])
		a->stack_size = UV_GUEST_STACK_DEFAULT;
	/* Image area: [UV_GUEST_IMAGE_MIN, mem - stack - guard) must not be empty. */
	if (a->stack_size >= a->mem_size - UV_GUEST_IMAGE_MIN - UV_GUEST_GUARD_SIZE)
		return fail(p, a->key_line[K_STACK] ? a->key_line[K_STACK] : a->key_line[K_MEMORY],
			    "app '%s': a %lluK stack leaves no room for the image in %lluK of memory", a->name,
			    (unsigned long long)(a->stack_size >> 10), (unsigned long long)(a->mem_size >> 10));
	if (a->restart == UV_RESTART_NEVER && a->key_line[K_RESTART_LIMIT] && a->restart_limit)
		return fail(p, a->key_line[K_RESTART_LIMIT], "app '%s': restart_limit needs restart = always or on-failure",
			    a->name);
	if (a->restart != UV_RESTART_NEVER && !a->key_line[K_RESTART_LIMIT])
		a->restart_limit = RESTART_LIMIT_DEFAULT;
	return net_app_end(p, a, (unsigned)(a - p->cfg->apps));
}

/* Checks the section that just ended (at the next section header or the end of the file). */
static int section_end(struct parser *p)
{
	struct config *c = p->cfg;
	if (p->section == S_APP)
		return app_end(p, &c->apps[c->n_apps - 1]);
	if (p->section == S_PORT || p->section == S_SEGMENT)
		return net_section_end(p);
	if (p->section == S_CHANNEL)
		return chan_section_end(p);
	return 0;
}

static int section(struct parser *p, char *s)
{
	size_t n = strlen(s);
	if (s[n - 1] != ']')
		return fail(p, p->line, "a section header must end with ']'");
	s[n - 1] = 0;
	struct words w;
	const char *why = words_split(s + 1, &w);
	if (why)
		return fail(p, p->line, "section header: %s", why);
	struct config *c = p->cfg;
	if (section_end(p))
		return -1;
	p->section = S_NONE;
	if (w.n == 1 && !strcmp(w.buf, "appliance")) {
		if (c->line)
			return fail(p, p->line, "duplicate [appliance] section (first at line %u)", c->line);
		c->line = p->line;
		p->section = S_APPLIANCE;
		return 0;
	}
	if (w.n == 1 && !strcmp(w.buf, "policy"))
		return flow_section_start(p);
	static const struct {
		const char *word;
		enum cfg_section kind;
	} kinds[] = { { "app", S_APP }, { "port", S_PORT }, { "segment", S_SEGMENT }, { "channel", S_CHANNEL } };
	size_t kind = w.n ? 0 : sizeof(kinds) / sizeof(kinds[0]); /* "[]" has no first word to look up */
	while (kind < sizeof(kinds) / sizeof(kinds[0]) && strcmp(kinds[kind].word, w.buf))
		kind++;
	if (kind < sizeof(kinds) / sizeof(kinds[0]) && w.n == 1)
		return fail(p, p->line, "[%s] needs a name: [%s NAME]", w.buf, w.buf);
	if (w.n != 2 || kind == sizeof(kinds) / sizeof(kinds[0]))
		return fail(p, p->line, "unknown section [%s] (expected [appliance], [app NAME], [port NAME], "
			    "[segment NAME], [channel NAME] or [policy])", s + 1);
	const char *name = w.buf + strlen(w.buf) + 1;
	if (kinds[kind].kind == S_CHANNEL)
		return chan_section_start(p, name);
	if (kinds[kind].kind != S_APP)
		return net_section_start(p, kinds[kind].kind, name);
	if (!manifest_name_valid(name, UV_MANIFEST_NAME_MAX))
		return fail(p, p->line, "bad app name '%.64s': use 1-%d of a-z 0-9 _ -", name, UV_MANIFEST_NAME_MAX - 1);
	for (unsigned i = 0; i < c->n_apps; i++)
		if (!strcmp(c->apps[i].name, name))
			return fail(p, p->line, "duplicate app '%s' (first at line %u)", name, c->apps[i].line);
	if (c->n_apps == UV_MANIFEST_MAX_APPS)
		return fail(p, p->line, "too many apps (at most %d)", UV_MANIFEST_MAX_APPS);
	struct cfg_app *a = &c->apps[c->n_apps++];
	strcpy(a->name, name);
	a->line = p->line;
	a->grants = UV_GRANT_BASE;
	a->args_len = (uint32_t)strlen(name) + 1; /* argv[0] */
	memcpy(a->args, name, a->args_len);
	a->argc = 1;
	p->section = S_APP;
	return 0;
}

static const char *const hv_names[] = { [CFG_HV_BOTH] = "both", [CFG_HV_VMX] = "vmx", [CFG_HV_SVM] = "svm" };

const char *config_hv_name(enum cfg_hv h)
{
	return h < sizeof(hv_names) / sizeof(hv_names[0]) ? hv_names[h] : "?";
}

/* hv = both | vmx | svm: the backends the image's kernel carries (a VMX-only image holds no SVM code). */
static int appliance_hv(struct parser *p, const char *k, const char *v)
{
	char w[32];
	if (p->appliance_hv_line)
		return fail(p, p->line, "duplicate key 'hv' in [appliance] (first set at line %u)", p->appliance_hv_line);
	p->appliance_hv_line = p->line;
	if (one_word(p, k, v, w, sizeof(w)))
		return -1;
	for (unsigned h = 0; h < sizeof(hv_names) / sizeof(hv_names[0]); h++)
		if (!strcmp(w, hv_names[h])) {
			p->cfg->hv = (enum cfg_hv)h;
			return 0;
		}
	return fail(p, p->line, "bad hv '%s': use both (the default: one image for Intel and AMD), vmx (Intel VT-x "
		    "only) or svm (AMD-V only)", w);
}

static int key_value(struct parser *p, char *s)
{
	char *eq = strchr(s, '=');
	if (!eq)
		return fail(p, p->line, "expected 'key = value' or a [section]");
	char *k = s, *v = eq + 1;
	char *ke = eq;
	while (ke > k && (ke[-1] == ' ' || ke[-1] == '\t'))
		ke--;
	*ke = 0;
	if (!*k)
		return fail(p, p->line, "missing key before '='");
	for (const char *c = k; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || *c == '_'))
			return fail(p, p->line, "bad key '%.64s': keys are lower-case letters and '_'", k);
	while (*v == ' ' || *v == '\t')
		v++;
	if (p->section == S_NONE)
		return fail(p, p->line, "'%s' outside a section: start with [appliance]", k);
	if (p->section == S_APP)
		return app_key(p, &p->cfg->apps[p->cfg->n_apps - 1], k, v);
	if (p->section == S_PORT || p->section == S_SEGMENT)
		return net_section_key(p, k, v);
	if (p->section == S_CHANNEL)
		return chan_section_key(p, k, v);
	if (p->section == S_POLICY)
		return flow_section_key(p, k, v);
	if (!strcmp(k, "hv"))
		return appliance_hv(p, k, v);
	if (strcmp(k, "name"))
		return fail(p, p->line, "unknown key '%s' in [appliance] (known: name, hv)", k);
	if (p->appliance_name_line)
		return fail(p, p->line, "duplicate key 'name' in [appliance] (first set at line %u)", p->appliance_name_line);
	p->appliance_name_line = p->line;
	if (one_word(p, k, v, p->cfg->name, sizeof(p->cfg->name)))
		return -1;
	if (!manifest_name_valid(p->cfg->name, UV_MANIFEST_NAME_MAX))
		return fail(p, p->line, "bad appliance name '%s': use 1-%d of a-z 0-9 _ -", p->cfg->name,
			    UV_MANIFEST_NAME_MAX - 1);
	return 0;
}

/* Removes a '#' comment (outside quotes) and surrounding blanks; returns the start. Quotes as words_split. */
static char *strip(char *s)
{
	char quote = 0;
	for (char *c = s; *c; c++) {
		if (*c == '\\' && quote != '\'' && c[1])
			c++;
		else if (*c == quote)
			quote = 0;
		else if (!quote && (*c == '"' || *c == '\''))
			quote = *c;
		else if (*c == '#' && !quote) {
			*c = 0;
			break;
		}
	}
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = 0;
	return s;
}

int config_parse(const char *file, const char *text, size_t len, struct config *cfg, char *err, size_t errlen)
{
	struct parser p = { .file = file, .cfg = cfg, .err = err, .errlen = errlen };
	char buf[CFG_LINE_MAX + 2];
	memset(cfg, 0, sizeof(*cfg));
	cfg->file = file;
	size_t pos = 0;
	while (pos < len) {
		p.line++;
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
		if (n > CFG_LINE_MAX)
			return fail(&p, p.line, "line is longer than %d bytes", CFG_LINE_MAX);
		memcpy(buf, text + pos, n);
		buf[n] = 0;
		pos += n + 1;
		if (n && buf[n - 1] == '\r')
			buf[--n] = 0;
		if (strlen(buf) != n)
			return fail(&p, p.line, "NUL byte in the config");
		char *s = strip(buf);
		if (!*s)
			continue;
		if ((*s == '[' ? section(&p, s) : key_value(&p, s)))
			return -1;
	}
	p.line++;
	if (section_end(&p))
		return -1;
	if (!cfg->line)
		return fail(&p, 1, "no [appliance] section");
	if (!p.appliance_name_line)
		return fail(&p, cfg->line, "[appliance] has no 'name'");
	if (!cfg->n_apps)
		return fail(&p, cfg->line, "the appliance has no apps: add an [app NAME] section");
	if (net_finish(&p) || chan_finish(&p))
		return -1;
	return flow_finish(&p);
}
