/* printf's %.Nf and %.Ng for the few non-negative fractions ss prints
 * (-i: milliseconds, gains, rates), without libc's printf and its
 * floating-point formatter (fmt_fp alone is 5 KiB of a static binary).
 * Scaled in long double and rounded half-to-even like glibc; only exact
 * ties of values that binary cannot hold could round differently. */
#include <math.h>

#include "libsock/out.h"
#include "libsock/fmt.h"

static long double pow10l_(int k)
{
	long double p = 1;

	while (k-- > 0)
		p *= 10;
	return p;
}

/* n as digits, at least width of them (leading zeros). */
static char *digits(char *o, uint64_t n, int width)
{
	char tmp[24];
	size_t len = fmt_u64(tmp, n);

	for (; width > (int)len; width--)
		*o++ = '0';
	for (size_t i = 0; i < len; i++)
		*o++ = tmp[i];
	return o;
}

size_t fmt_double(char *buf, double v, char conv, int prec)
{
	char *o = buf;

	if (v < 0) {
		*o++ = '-';
		v = -v;
	}
	if (conv == 'f') {
		uint64_t n = (uint64_t)rintl(v * pow10l_(prec));
		uint64_t p = (uint64_t)pow10l_(prec);

		o = digits(o, n / p, 1);
		if (prec) {
			*o++ = '.';
			o = digits(o, n % p, prec);
		}
		*o = 0;
		return o - buf;
	}
	if (!prec)
		prec = 1;
	if (v == 0) {
		*o++ = '0';
		*o = 0;
		return o - buf;
	}
	int x = 0;	/* decimal exponent: 10^x <= v < 10^(x+1) */
	while (v >= pow10l_(x + 1))
		x++;
	while (v < 1 / pow10l_(-x))
		x--;
	int shift = prec - 1 - x;
	uint64_t n = (uint64_t)rintl(shift >= 0 ? v * pow10l_(shift) : v / pow10l_(-shift));
	if (n >= (uint64_t)pow10l_(prec)) {	/* rounded up to a new digit */
		n /= 10;
		x++;
	}
	char d[24];
	int len = (int)fmt_u64(d, n);	/* == prec */
	while (len > 1 && d[len - 1] == '0')
		len--;
	if (x < -4 || x >= prec) {	/* d.ddde+XX */
		*o++ = d[0];
		if (len > 1) {
			*o++ = '.';
			for (int i = 1; i < len; i++)
				*o++ = d[i];
		}
		*o++ = 'e';
		*o++ = x < 0 ? '-' : '+';
		o = digits(o, x < 0 ? -x : x, 2);
	} else if (x < 0) {	/* 0.000ddd */
		*o++ = '0';
		*o++ = '.';
		for (int i = -1; i > x; i--)
			*o++ = '0';
		for (int i = 0; i < len; i++)
			*o++ = d[i];
	} else {		/* ddd.ddd */
		for (int i = 0; i <= x; i++)
			*o++ = i < len ? d[i] : '0';
		if (len > x + 1) {
			*o++ = '.';
			for (int i = x + 1; i < len; i++)
				*o++ = d[i];
		}
	}
	*o = 0;
	return o - buf;
}
