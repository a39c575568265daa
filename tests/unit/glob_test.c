/* sk_glob_match against glibc's fnmatch (the reference iproute2 uses) on
 * patterns and names from the corpus below and on every pairing of them:
 * any difference is printed and fails the test. */
#include <fnmatch.h>
#include <stdio.h>

#include "libsock/glob.h"

static const char *const patterns[] = {
	"", "*", "?", "/tmp/*", "/tmp/*.sock", "*sock*", "/run/?ystemd/*",
	"[abc]*", "[!abc]*", "[^/]*", "[a-z]*", "[z-a]*", "[]]*", "[!]]*",
	"*[0-9]", "[[:digit:]]*", "[[:alpha:]]*", "*[[:space:]]*", "[[:upper:]]*",
	"[[:punct:]]*", "[[:bogus:]]*", "[a-", "[", "a[", "\\*", "\\", "a\\",
	"*\\?", "@*", "@/tmp/*", "**", "*/*/*", "*a*b*c", "/TMP/*", "/tmp/[A-Z]*",
	"[[:lower:]]*", "*.[ch]", "a*b?c", "[\\]]*", "[a\\-z]*", "*[", "[!",
	"[:alpha:]", "[[:alpha:]", "*X", "x*", "[-a]*", "[a-]*", "[ab", "[a-b",
	"[!", "[-", "[ab-", "x[a-", "[a", "[[:al", "[[:alpha:]x", "[\\", "*[ab",
};

static const char *const names[] = {
	"", "a", "/tmp/x.sock", "/tmp/", "/run/systemd/notify", "@/tmp/abc",
	"]x", "*", "?", "\\", "abc", "Abc", "ABC", "/TMP/X", "/tmp/Q", "x 1",
	"a-b", "-x", "file.c", "file.h", "aXbYc", "axbc", "[a-", "[", "a[",
	"9", "x9", "!x", "zebra", "/tmp/x/y/z", "@", "\x7f", "\xc3\xa9t\xc3\xa9",
	"*?", "[:alpha:]", "Xx", "xX", "[ab", "[a-b", "[!", "[-", "[ab-", "x[a-",
	"[a", "[[:al", "[[:alpha:]", "[\\", "ax", "b",
};

int main(void)
{
	int failures = 0;

	for (size_t i = 0; i < sizeof(patterns) / sizeof(*patterns); i++)
		for (size_t j = 0; j < sizeof(names) / sizeof(*names); j++)
			for (int fold = 0; fold < 2; fold++) {
				int want = !fnmatch(patterns[i], names[j], fold ? FNM_CASEFOLD : 0);
				int got = sk_glob_match(patterns[i], names[j], fold);
				if (want != got) {
					printf("'%s' vs '%s'%s: fnmatch %d, ours %d\n", patterns[i],
					       names[j], fold ? " (casefold)" : "", want, got);
					failures++;
				}
			}
	return failures != 0;
}
