/* fmt_double against the C library's printf on the values ss -i prints:
 * integer counts over 1000 (ms), 256 (gains), 8 and 1 (rates), over a
 * wide range, as %g, %.3g, %.0f, %.1f and %.3f. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libsock/fmt.h"

int main(void)
{
	static const double dens[] = { 1000, 256, 8, 1, 1000000 };
	static const struct { char conv; int prec; } fmts[] = {
		{ 'g', 6 }, { 'g', 3 }, { 'g', 1 }, { 'f', 0 }, { 'f', 1 }, { 'f', 3 },
	};
	unsigned long long seed = 1;
	int failures = 0;

	for (int i = 0; i < 200000 && failures < 20; i++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		unsigned long long num = (seed >> 11) % (1ull << (1 + i % 44));
		double v = num / dens[i % 5];
		for (size_t k = 0; k < sizeof(fmts) / sizeof(*fmts); k++) {
			char want[64], got[64], f[8];
			snprintf(f, sizeof(f), "%%.%d%c", fmts[k].prec, fmts[k].conv);
			snprintf(want, sizeof(want), f, v);
			fmt_double(got, v, fmts[k].conv, fmts[k].prec);
			if (strcmp(want, got)) {
				printf("%s of %llu/%g: want %s, got %s\n", f, num, dens[i % 5], want, got);
				failures++;
			}
		}
	}
	return failures != 0;
}
