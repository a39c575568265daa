#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
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

#define PUT(c) do { char c_ = (c); if (n + 1 < size) buf[n] = c_; n++; } while (0)
	for (; *fmt; fmt++) {
		const char *s = num;
		int lng = 0, left = 0, zero = 0, width = 0, prec = -1, len = 0;
		unsigned long long v;

		if (*fmt != '%') {
			PUT(*fmt);
			continue;
		}
		for (fmt++; *fmt == '-' || *fmt == '0'; fmt++)
			*fmt == '-' ? (left = 1) : (zero = 1);
		if (*fmt == '*')
			fmt++, width = va_arg(ap, int);
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + *fmt - '0';
		if (width < 0)
			left = 1, width = -width;
		if (*fmt == '.') {
			prec = 0;
			if (*++fmt == '*')
				fmt++, prec = va_arg(ap, int);
			for (; *fmt >= '0' && *fmt <= '9'; fmt++)
				prec = prec * 10 + *fmt - '0';
		}
		while (*fmt == 'l' || *fmt == 'z')
			lng++, fmt++;
		switch (*fmt) {
		case 's':
			s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			while (s[len] && (prec < 0 || len < prec))
				len++;
			zero = 0;
			break;
		case 'c':
			num[len++] = (char)va_arg(ap, int);
			zero = 0;
			break;
		case 'd': {
			long long d = lng ? va_arg(ap, long long) : va_arg(ap, int);
			if (d < 0)
				num[len++] = '-';
			len += fmt_u64(num + len, d < 0 ? -(unsigned long long)d : (unsigned long long)d);
			break;
		}
		case 'u':
		case 'x':
			v = lng ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned);
			if (*fmt == 'u') {
				len = fmt_u64(num, v);
				break;
			}
			do	/* hex digits backwards, then turned round */
				num[len++] = "0123456789abcdef"[v & 15];
			while (v >>= 4);
			for (int i = 0; i < len / 2; i++) {
				char t = num[i];
				num[i] = num[len - 1 - i];
				num[len - 1 - i] = t;
			}
			break;
		case '%':
			PUT('%');
			continue;
		default:	/* unsupported: print it as written */
			PUT('%');
			PUT(*fmt);
			continue;
		}
		if (zero && *s == '-') {	/* the sign goes before zero padding */
			PUT(*s++);
			len--, width--;
		}
		for (; !left && width > len; width--)
			PUT(zero ? '0' : ' ');
		for (int i = 0; i < len; i++)
			PUT(s[i]);
		for (; left && width > len; width--)
			PUT(' ');
	}
#undef PUT
	if (size)
		buf[n < size ? n : size - 1] = 0;
	return n;
}

uint64_t sb_strtou(const char *s, char **end)
{
	const char *p = s;
	uint64_t v = 0;
	int neg, any = 0, over = 0;

	while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		p++;
	neg = *p == '-';
	p += *p == '-' || *p == '+';
	for (; *p >= '0' && *p <= '9'; p++, any = 1) {
		over |= v > (UINT64_MAX - (*p - '0')) / 10;
		v = v * 10 + (*p - '0');
	}
	if (end)
		*end = (char *)(any ? p : s);
	return over ? UINT64_MAX : neg ? -v : v;
}

unsigned sb_cpus(void)
{
	static unsigned cpus;
	cpu_set_t set;

	/* (not CPU_COUNT: musl's tests the 1024 bits one at a time) */
	if (!cpus && sched_getaffinity(0, sizeof(set), &set) == 0)
		for (size_t i = 0; i < sizeof(set) / sizeof(long); i++)
			for (unsigned long w = ((unsigned long *)&set)[i]; w; w &= w - 1)
				cpus++;
	if (!cpus)
		cpus = 1;
	return cpus;
}

static void swap_bytes(char *a, char *b, size_t size)
{
	while (size--) {
		char t = *a;
		*a++ = *b;
		*b++ = t;
	}
}

/* Heapsort: O(n log n) without recursion or memory, and a fraction of
 * musl's qsort (2 KiB). */
void sb_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	char *a = base;

	for (size_t end = n, start = n / 2; end > 1;) {
		size_t root;

		if (start > 0)		/* build the heap */
			root = --start;
		else {			/* move the largest to the end */
			swap_bytes(a, a + --end * size, size);
			root = 0;
		}
		for (size_t child; (child = 2 * root + 1) < end; root = child) {
			if (child + 1 < end && cmp(a + child * size, a + (child + 1) * size) < 0)
				child++;
			if (cmp(a + root * size, a + child * size) >= 0)
				break;
			swap_bytes(a + root * size, a + child * size, size);
		}
	}
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

void sb_eprintf(const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = sb_vfmt(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	out_flush();	/* keep stdout and stderr in order */
	(void)!write(STDERR_FILENO, msg, n < sizeof(msg) ? n : sizeof(msg) - 1);
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

struct sb_file *sb_fdopen(int fd)
{
	struct sb_file *f = calloc(1, sizeof(*f));

	if (f)
		f->fd = fd;
	return f;
}

struct sb_file *sb_fopen(const char *path)
{
	struct sb_file *f;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (!(f = sb_fdopen(fd))) {
		close(fd);	/* errno stays calloc's ENOMEM */
		return NULL;
	}
	f->own_fd = 1;
	return f;
}

char *sb_fgets(char *line, int size, struct sb_file *f)
{
	int n = 0;

	if (size < 1)
		return NULL;
	while (n < size - 1) {
		if (f->pos == f->len) {
			ssize_t r = read(f->fd, f->buf, sizeof(f->buf));
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0) {
				if (r < 0)
					f->err = errno;
				if (!n)
					return NULL;
				break;
			}
			f->pos = 0;
			f->len = r;
		}
		if ((line[n++] = f->buf[f->pos++]) == '\n')
			break;
	}
	line[n] = 0;
	return line;
}

void sb_fclose(struct sb_file *f)
{
	if (f->own_fd)
		close(f->fd);
	free(f);
}

void sb_puts(int fd, const char *s)
{
	size_t n = strlen(s);

	if (fd == STDOUT_FILENO) {
		out_write(s, n);
		return;
	}
	out_flush();	/* keep stdout and stderr in order */
	while (n) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;	/* as stdio's stderr: nowhere to report it */
		s += w;
		n -= w;
	}
}
