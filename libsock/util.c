#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sockbox.h"
#include "libsock/out.h"

const char *applet_name = "sockbox";

/* A printf subset so that messages and small formatting do not pull
 * libc's printf, and its floating-point code, into small builds:
 * %s %d %u %x %c %% with flags '-' and '0', a width (digits or *), a
 * precision for strings (.N or .*) and the length modifiers l, ll, z. */
size_t sb_vfmt(char *buf, size_t size, const char *fmt, va_list ap)
{
	size_t n = 0;
	char num[24];

#define PUT(c) do { if (n + 1 < size) buf[n] = (c); n++; } while (0)
	for (; *fmt; fmt++) {
		const char *s;
		size_t len;
		int lng = 0, left = 0, zero = 0, width = 0, prec = -1, neg = 0;

		if (*fmt != '%') {
			PUT(*fmt);
			continue;
		}
		for (fmt++; *fmt == '-' || *fmt == '0'; fmt++)
			*fmt == '-' ? (left = 1) : (zero = 1);
		if (*fmt == '*') {
			width = va_arg(ap, int);
			fmt++;
		}
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + *fmt - '0';
		if (width < 0)
			left = 1, width = -width;
		if (*fmt == '.') {
			prec = 0;
			if (*++fmt == '*') {
				prec = va_arg(ap, int);
				fmt++;
			}
			for (; *fmt >= '0' && *fmt <= '9'; fmt++)
				prec = prec * 10 + *fmt - '0';
		}
		while (*fmt == 'l' || *fmt == 'z')
			lng++, fmt++;
		s = num;
		switch (*fmt) {
		case 's':
			s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			break;
		case 'c':
			num[0] = (char)va_arg(ap, int);
			num[1] = 0;
			break;
		case 'd': {
			long long v = lng ? va_arg(ap, long long) : va_arg(ap, int);
			neg = v < 0;
			fmt_u64(num, neg ? -(unsigned long long)v : (unsigned long long)v);
			break;
		}
		case 'u':
			fmt_u64(num, lng ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned));
			break;
		case 'x': {
			unsigned long long v = lng ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned);
			char *p = num + sizeof(num);
			*--p = 0;
			do
				*--p = "0123456789abcdef"[v & 15];
			while (v >>= 4);
			memmove(num, p, num + sizeof(num) - p);
			break;
		}
		case '%':
			PUT('%');
			continue;
		default:	/* unsupported: print it as written */
			PUT('%');
			PUT(*fmt);
			continue;
		}
		len = *fmt == 's' && prec >= 0 ? strnlen(s, prec) : strlen(s);
		len += neg;
		if (neg && zero)
			PUT('-');
		for (; !left && width > (int)len; width--)
			PUT(zero && *fmt != 's' ? '0' : ' ');
		if (neg && !zero)
			PUT('-');
		for (size_t i = neg; i < len; i++)
			PUT(*s++);
		for (; left && width > (int)len; width--)
			PUT(' ');
	}
#undef PUT
	if (size)
		buf[n < size ? n : size - 1] = 0;
	return n;
}

size_t sb_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = sb_vfmt(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static void vwarn(const char *fmt, va_list ap)
{
	char msg[512];
	size_t n = strlen(applet_name);

	memcpy(msg, applet_name, n);
	msg[n++] = ':';
	msg[n++] = ' ';
	n += sb_vfmt(msg + n, sizeof(msg) - n - 1, fmt, ap);
	if (n > sizeof(msg) - 2)
		n = sizeof(msg) - 2;
	msg[n++] = '\n';
	out_flush();	/* keep stdout and stderr in order */
	(void)!write(STDERR_FILENO, msg, n);
}

void sb_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
}

void sb_die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	out_flush();
	exit(status);
}
