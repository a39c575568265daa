#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sockbox.h"
#include "libsock/out.h"

const char *applet_name = "sockbox";

/* A printf subset (%s %d %u %x %c %%, with l/ll/z) so that messages do not
 * pull libc's printf, and its floating-point code, into small builds. */
size_t sb_vfmt(char *buf, size_t size, const char *fmt, va_list ap)
{
	size_t n = 0;
	char num[24];

/* c evaluated once, also past the end: callers write PUT(*s++) */
#define PUT(c) do { char c_ = (c); if (n + 1 < size) buf[n] = c_; n++; } while (0)
	for (; *fmt; fmt++) {
		const char *s;
		int lng = 0;

		if (*fmt != '%') {
			PUT(*fmt);
			continue;
		}
		fmt++;
		while (*fmt == 'l' || *fmt == 'z')
			lng++, fmt++;
		switch (*fmt) {
		case 's':
			s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			while (*s)
				PUT(*s++);
			continue;
		case 'c':
			PUT((char)va_arg(ap, int));
			continue;
		case 'd': {
			long long v = lng ? va_arg(ap, long long) : va_arg(ap, int);
			if (v < 0)
				PUT('-');
			fmt_u64(num, v < 0 ? -(unsigned long long)v : (unsigned long long)v);
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
		for (s = num; *s; s++)
			PUT(*s);
	}
#undef PUT
	if (size)
		buf[n < size ? n : size - 1] = 0;
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
