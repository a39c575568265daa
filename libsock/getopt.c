/* getopt_long as musl's behaves with the applets' option strings, but
 * silent: musl's links the stdio code of its messages (fputs, fwrite,
 * the stderr FILE and their helpers, 2.5 KiB) even with opterr = 0, and
 * the applets word their errors themselves. Options and operands may
 * come in any order (the operands are moved behind the options, as they
 * are met); "--" ends the options; a long option may be cut to a prefix
 * that names one entry (or is a whole name). Left out, as no applet uses
 * them: a '+', '-' or ':' leading optstring, "::", struct option's flag,
 * longindex. */
#include <getopt.h>
#include <string.h>

#include "sockbox.h"

char *sb_optarg;
int sb_optind = 1, sb_optopt;
static int optpos;	/* the letter last read of a group such as -tan, 0: none */

/* The option at argv[sb_optind], which starts with '-' and is not "-";
 * sb_optind moves past what it used, -1 for "--". */
static int one_option(char **argv, const char *optstring, const struct option *longopts)
{
	char *arg = argv[sb_optind];

	sb_optarg = NULL;
	if (arg[1] == '-' && arg[2]) {
		const struct option *o, *match = NULL;
		size_t len = strcspn(arg + 2, "=");
		int found = 0;

		for (o = longopts; o->name; o++) {
			if (strncmp(o->name, arg + 2, len))
				continue;
			match = o;
			if (!o->name[len]) {	/* a whole name wins over prefixes */
				found = 1;
				break;
			}
			found++;
		}
		sb_optind++;
		if (found != 1) {	/* unknown or ambiguous */
			sb_optopt = 0;
			return '?';
		}
		if (arg[2 + len] == '=') {
			if (match->has_arg == no_argument) {
				sb_optopt = match->val;
				return '?';
			}
			sb_optarg = arg + 3 + len;
		} else if (match->has_arg == required_argument) {
			if (!(sb_optarg = argv[sb_optind])) {
				sb_optopt = match->val;
				return '?';
			}
			sb_optind++;
		}
		return match->val;
	}
	if (arg[1] == '-') {
		sb_optind++;
		return -1;
	}

	int c = (unsigned char)arg[++optpos];
	const char *spec = c == ':' ? NULL : strchr(optstring, c);

	if (!arg[optpos + 1]) {
		sb_optind++;
		optpos = 0;
	}
	if (!spec) {
		sb_optopt = c;
		return '?';
	}
	if (spec[1] == ':') {
		if (optpos) {		/* -Fvalue */
			sb_optarg = arg + optpos + 1;
			sb_optind++;
			optpos = 0;
		} else if ((sb_optarg = argv[sb_optind])) {	/* -F value */
			sb_optind++;
		} else {
			sb_optopt = c;
			return '?';
		}
	}
	return c;
}

int sb_getopt_long(int argc, char **argv, const char *optstring, const struct option *longopts)
{
	int first, at, rc;

	if (!sb_optind)		/* start afresh (the options fuzzer) */
		sb_optind = 1, optpos = 0;
	first = sb_optind;
	for (at = first; at < argc && argv[at] && (argv[at][0] != '-' || !argv[at][1]); at++)
		;
	if (at >= argc || !argv[at])
		return -1;	/* sb_optind stays on the first operand */
	sb_optind = at;
	rc = one_option(argv, optstring, longopts);
	/* what it used goes before the operands skipped to reach it */
	for (int i = at; i < sb_optind; i++) {
		char *used = argv[i];

		memmove(argv + first + 1, argv + first, (i - first) * sizeof(*argv));
		argv[first++] = used;
	}
	sb_optind = first;
	return rc;
}
