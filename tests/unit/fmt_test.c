/* sb_snprintf and sb_strtou against the C library on the formats and
 * numbers sockbox uses: any difference is printed and fails the test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sockbox.h"

static int failures;

#define CHECK(size, ...) do {						\
	char want[64], got[64];						\
	int wn = snprintf(want, size, __VA_ARGS__);			\
	size_t gn = sb_snprintf(got, size, __VA_ARGS__);		\
	if (strcmp(want, got) || (size_t)wn != gn) {			\
		printf("%s: want '%s' (%d), got '%s' (%zu)\n",		\
		       #__VA_ARGS__, want, wn, got, gn);		\
		failures++;						\
	}								\
} while (0)

/* sb_strtou against strtoull(s, &end, 10): value and where it stopped */
static void check_strtou(const char *s)
{
	char *want_end, *got_end;
	unsigned long long want = strtoull(s, &want_end, 10);
	uint64_t got = sb_strtou(s, &got_end);

	if (want != got || want_end != got_end) {
		printf("sb_strtou(\"%s\"): want %llu (+%td), got %llu (+%td)\n", s, want,
		       want_end - s, (unsigned long long)got, got_end - s);
		failures++;
	}
}

int main(void)
{
	static const char *const numbers[] = {
		"0", "42", "  7x", "+5", "-1", "-0", "18446744073709551615",
		"18446744073709551616", "99999999999999999999999", "", "x1", "-", " +",
		"\t\n12 34", "007", "1/tcp", "-18446744073709551615",
	};

	for (size_t i = 0; i < sizeof(numbers) / sizeof(*numbers); i++)
		check_strtou(numbers[i]);
	CHECK(64, "%s|%5s|%-5s|%.2s|%-6.3s|%*s|%-*s|", "abc", "ab", "ab",
	      "abc", "abcdef", 4, "x", 3, "y");
	CHECK(64, "%.*s|%.0s|%s", 2, "hello", "gone", (char *)"");
	CHECK(64, "%d|%5d|%-5d|%05d|%d|%05d|%-4d|", 42, -42, 7, 42, -7, -42, -1);
	CHECK(64, "%u|%02u|%3u|%lu|%llu|%zu", 5u, 5u, 12345u, 1234567890123ul,
	      18446744073709551615ull, (size_t)9);
	CHECK(64, "%x|%08x|%llx|%lld", 0xbeefu, 0xabu, 0x123456789abcull, -9ll);
	CHECK(64, "%c%c|%%|%3c", 'a', 'b', 'z');
	CHECK(8, "%s", "truncated here");
	CHECK(1, "%d", 12345);
	CHECK(5, "%05u", 123456u);
	return failures != 0;
}
