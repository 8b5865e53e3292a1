/* apps/firewall/options.c: parses the firewall's arguments; every error names the argument it is about. */
#include <stdio.h>
#include <string.h>
#include "../../include/abi/uv_errno.h"
#include "options.h"

#define FW_ARG_SHOWN 60     /* characters of an argument quoted in an error */
#define FW_NUMBER_DIGITS 6  /* the largest value fits in 6 digits */

/* An option's value: decimal 0..max. Returns 0 and *out, or -1. */
static int parse_value(const char *s, unsigned max, unsigned *out)
{
	unsigned v = 0;
	size_t n = s ? strnlen(s, FW_NUMBER_DIGITS + 1) : 0;

	if (n == 0 || n > FW_NUMBER_DIGITS)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (s[n] || v > max)
		return -1;
	*out = v;
	return 0;
}

/* "argument i ('argv[i]'): why", quoting at most FW_ARG_SHOWN characters; returns -UV_EINVAL. */
static int arg_error(char *err, size_t errlen, int i, const char *arg, const char *why)
{
	size_t n = strnlen(arg, FW_ARG_SHOWN + 1);

	if (errlen)
		snprintf(err, errlen, "argument %d ('%.*s%s'): %s", i, (int)(n > FW_ARG_SHOWN ? FW_ARG_SHOWN : n), arg,
			 n > FW_ARG_SHOWN ? "..." : "", why);
	return -UV_EINVAL;
}

int fw_options_parse(int argc, char *const argv[], struct fw_options *o, char *err, size_t errlen)
{
	static const struct {
		const char *name;
		unsigned max;
		size_t field;
	} opts[] = {
		{ "--report", FW_SECONDS_MAX, offsetof(struct fw_options, report_s) },
		{ "--exit-after", FW_SECONDS_MAX, offsetof(struct fw_options, exit_after_s) },
		{ "--log", FW_LOG_MAX, offsetof(struct fw_options, log_drops) },
	};
	char why[FW_ERR_MAX];

	memset(o, 0, sizeof(*o));
	o->report_s = FW_REPORT_DEFAULT_S;
	if (errlen)
		err[0] = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!a)
			return arg_error(err, errlen, i, "", "missing");
		if (a[0] == '-') {
			size_t k = 0;
			while (k < sizeof(opts) / sizeof(opts[0]) && strcmp(a, opts[k].name))
				k++;
			if (k == sizeof(opts) / sizeof(opts[0]))
				return arg_error(err, errlen, i, a, "unknown option (known: --report --exit-after --log)");
			if (i + 1 >= argc)
				return arg_error(err, errlen, i, a, "needs a number after it");
			snprintf(why, sizeof(why), "expected a whole number 0..%u", opts[k].max);
			if (parse_value(argv[i + 1], opts[k].max, (unsigned *)((char *)o + opts[k].field)))
				return arg_error(err, errlen, i + 1, argv[i + 1] ? argv[i + 1] : "", why);
			i++;
			continue;
		}
		if (o->n_rules == FW_RULES_MAX) {
			snprintf(why, sizeof(why), "more than %d rules", FW_RULES_MAX);
			return arg_error(err, errlen, i, a, why);
		}
		if (fw_rule_parse(a, &o->rules[o->n_rules], why, sizeof(why)))
			return arg_error(err, errlen, i, a, why);
		o->n_rules++;
	}
	return 0;
}
