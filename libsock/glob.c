/* Shell wildcard matching for unix path filters: what glibc's
 * fnmatch(pattern, name, FNM_CASEFOLD) does, byte by byte.  Our own because musl's fnmatch brings
 * its wide-character class tables (about 12 KiB) into the binary. */
#include "libsock/glob.h"

static unsigned char fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Match one bracket expression at *pp against c; advances *pp past the
 * closing ']'.  Returns 1/0; -1 if the bracket is unterminated (then '['
 * is an ordinary character, as in fnmatch), -2 if glibc would fail the
 * whole match instead. */
static int bracket_match(const char **pp, unsigned char c, int casefold)
{
	static const struct { const char *name; const char *set; } classes[] = {
		/* sets are pairs of range ends */
		{ "alpha", "azAZ" }, { "digit", "09" }, { "alnum", "azAZ09" },
		{ "upper", "AZ" }, { "lower", "az" }, { "xdigit", "09afAF" },
		{ "space", "\t\r  " }, { "blank", "\t\t  " }, { "punct", "!/:@[`{~" },
		{ "print", " ~" }, { "graph", "!~" }, { "cntrl", "\x01\x1f\x7f\x7f" },
	};
	const char *p = *pp;
	int negate = 0, hit = 0;

	if (*p == '!' || *p == '^')
		negate = 1, p++;
	for (int first = 1; first || *p != ']'; first = 0) {
		unsigned char lo, hi;

		if (!*p)
			return -1;
		if (p[0] == '[' && p[1] == ':') {
			const char *end = p + 2;
			size_t i, len;

			while (*end && !(end[0] == ':' && end[1] == ']'))
				end++;
			if (!*end)
				return -1;
			len = end - (p + 2);
			for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
				const char *s = classes[i].set;
				if (strncmp(classes[i].name, p + 2, len) || classes[i].name[len])
					continue;
				for (; *s; s += 2)
					hit |= c >= (unsigned char)s[0] && c <= (unsigned char)s[1];
			}
			p = end + 2;
			continue;
		}
		if (*p == '\\' && p[1])
			p++;
		lo = hi = *p++;
		if (p[0] == '-' && !p[1])
			return -2;	/* glibc: "[a-" matches nothing */
		if (p[0] == '-' && p[1] != ']') {
			p++;
			if (*p == '\\' && p[1])
				p++;
			hi = *p++;
		}
		hit |= c >= lo && c <= hi;
		if (casefold) {
			unsigned char other = c >= 'a' && c <= 'z' ? c - 32 : fold(c);
			hit |= other >= lo && other <= hi;
		}
	}
	*pp = p + 1;
	return hit != negate;
}

int sk_glob_match(const char *pat, const char *s, int casefold)
{
	const char *star_pat = NULL, *star_s = NULL;

	for (;;) {
		const char *p = pat;
		int m;

		switch (*p) {
		case 0:
			if (!*s)
				return 1;
			goto backtrack;
		case '*':
			star_pat = ++pat;
			star_s = s;
			continue;
		case '?':
			if (!*s)
				return 0;
			pat++, s++;
			continue;
		case '[': {
			const char *end = p + 1;

			if (!*s)
				return 0;
			m = bracket_match(&end, (unsigned char)*s, casefold);
			if (m == -2)
				return 0;
			if (m >= 0) {
				if (!m)
					goto backtrack;
				pat = end, s++;
				continue;
			}
			break;	/* unterminated: a literal '[' */
		}
		case '\\':
			if (!p[1])	/* a trailing backslash matches nothing */
				return 0;
			p++;
			break;
		}
		if (!*s || (casefold ? fold(*p) != fold(*s) : *p != *s))
			goto backtrack;
		pat = p + 1, s++;
		continue;
backtrack:
		/* the last '*' absorbs one more character and we retry */
		if (!star_pat || !*star_s)
			return 0;
		pat = star_pat;
		s = ++star_s;
	}
}
