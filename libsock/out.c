#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <stdlib.h>

#include "sockbox.h"
#include "libsock/out.h"

#define OBUF_SIZE (64 * 1024)
/* 8 bytes of slack: out_spaces stores whole words past the end. */
static char obuf[OBUF_SIZE + 8];
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
	if (olen + n > OBUF_SIZE) {
		out_flush();
		if (n > OBUF_SIZE) {
			out_drain(p, n);
			return;
		}
	}
	memcpy(obuf + olen, p, n);
	olen += n;
}

char *out_room(size_t n)
{
	if (olen + n > OBUF_SIZE)
		out_flush();
	return obuf + olen;
}

void out_claim(size_t n)
{
	olen += n;
}

void out_str(const char *s)
{
	out_write(s, strlen(s));
}

void out_char(char c)
{
	if (olen == OBUF_SIZE)
		out_flush();
	obuf[olen++] = c;
}

/* Padding is most of what ss writes between fields: word stores, not a
 * copy per byte. */
void out_spaces(size_t n)
{
	const uint64_t sp = 0x2020202020202020ull;

	while (n) {
		if (olen == OBUF_SIZE)
			out_flush();
		size_t k = OBUF_SIZE - olen < n ? OBUF_SIZE - olen : n;
		for (size_t i = 0; i < k; i += 8)
			memcpy(obuf + olen + i, &sp, 8);
		olen += k;
		n -= k;
	}
}

static const char digits2[200] =
	"0001020304050607080910111213141516171819"
	"2021222324252627282930313233343536373839"
	"4041424344454647484950515253545556575859"
	"6061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* Two digits per division: ports and queues are on every row. */
char *fmt_u64_rev(char *end, uint64_t v)
{
	while (v >= 100) {
		end -= 2;
		memcpy(end, digits2 + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10) {
		end -= 2;
		memcpy(end, digits2 + 2 * v, 2);
	} else {
		*--end = '0' + v;
	}
	return end;
}

size_t fmt_u64(char *buf, uint64_t v)
{
	size_t n = 1;
	uint64_t t = v;

	/* The length first, then the digits in place: no copy. */
	for (; t >= 100; t /= 100)
		n += 2;
	n += t >= 10;
	buf[n] = 0;
	fmt_u64_rev(buf + n, v);
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
