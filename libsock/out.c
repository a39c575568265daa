#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <stdlib.h>

#include "sockbox.h"
#include "libsock/out.h"

static char obuf[64 * 1024];
static size_t olen;

static void out_drain(const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(STDOUT_FILENO, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE)	/* reader went away: not our error */
				_exit(0);
			sb_die(1, "write error: %s", strerror(errno));
		}
		p += w;
		n -= w;
	}
}

void out_flush(void)
{
	size_t n = olen;

	olen = 0;	/* first: the error path flushes again on its way out */
	out_drain(obuf, n);
}

void out_write(const void *p, size_t n)
{
	if (olen + n > sizeof(obuf)) {
		out_flush();
		if (n > sizeof(obuf)) {
			out_drain(p, n);
			return;
		}
	}
	memcpy(obuf + olen, p, n);
	olen += n;
}

void out_str(const char *s)
{
	out_write(s, strlen(s));
}

void out_char(char c)
{
	if (olen == sizeof(obuf))
		out_flush();
	obuf[olen++] = c;
}

void out_spaces(size_t n)
{
	static const char sp[32] = "                                ";

	while (n) {
		size_t k = n < sizeof(sp) ? n : sizeof(sp);
		out_write(sp, k);
		n -= k;
	}
}

char *fmt_u64_rev(char *end, uint64_t v)
{
	do {
		*--end = '0' + v % 10;
		v /= 10;
	} while (v);
	return end;
}

size_t fmt_u64(char *buf, uint64_t v)
{
	char tmp[20], *s = fmt_u64_rev(tmp + sizeof(tmp), v);
	size_t n = tmp + sizeof(tmp) - s;

	memcpy(buf, s, n);
	buf[n] = 0;
	return n;
}

void out_u64(uint64_t v)
{
	char tmp[20], *s = fmt_u64_rev(tmp + sizeof(tmp), v);

	out_write(s, tmp + sizeof(tmp) - s);
}

void out_hex(uint64_t v)
{
	char tmp[16], *s = tmp + sizeof(tmp);

	do {
		*--s = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	out_write(s, tmp + sizeof(tmp) - s);
}
