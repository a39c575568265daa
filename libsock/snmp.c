/* Counter files under /proc/net, read whole and split in place. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sockbox.h"
#include "libsock/fmt.h"
#include "libsock/snmp.h"

static char *slurp(const char *rel)
{
	char path[256];
	size_t len = 0, cap = 16384;
	char *buf = malloc(cap);
	int fd = open(sk_proc_path(path, sizeof(path), rel), O_RDONLY | O_CLOEXEC);

	if (fd < 0 || !buf) {
		int e = errno;
		free(buf);
		if (fd >= 0)
			close(fd);
		errno = e;
		return NULL;
	}
	for (;;) {
		if (len + 1 >= cap) {
			char *n = realloc(buf, cap *= 2);
			if (!n)
				break;
			buf = n;
		}
		ssize_t r = read(fd, buf + len, cap - len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += r;
	}
	close(fd);
	buf[len] = 0;
	return buf;
}

static char *next_line(char **p)
{
	char *l = *p, *nl;

	if (!*l)
		return NULL;
	nl = strchr(l, '\n');
	if (nl) {
		*nl = 0;
		*p = nl + 1;
	} else {
		*p = l + strlen(l);
	}
	return l;
}

static char *next_word(char **p)
{
	char *s = *p + strspn(*p, " \t");

	if (!*s)
		return *p = s, NULL;
	char *e = s + strcspn(s, " \t");
	if (*e)
		*e++ = 0;
	*p = e;
	return s;
}

int sk_snmp_read(const char *rel, int pairs, sk_snmp_cb cb, void *arg)
{
	char *buf = slurp(rel), *p = buf, *names, *vals, *w;
	int rc = 0;

	if (!buf)
		return -errno;
	while (!rc && (names = next_line(&p))) {
		if (!pairs) {
			if ((w = next_word(&names)) && (vals = next_word(&names)))
				rc = cb(NULL, w, sb_strtou(vals, NULL), arg);
			continue;
		}
		if (!*names || !(vals = next_line(&p)))
			continue;
		char *colon = strchr(names, ':'), *vc = strchr(vals, ':');
		if (!colon || !vc)
			break;
		*colon = 0;
		rc = cb(names, NULL, 0, arg);
		const char *table = names;
		names = colon + 1;
		vals = vc + 1;
		while (!rc && (w = next_word(&names))) {
			char *v = next_word(&vals);
			rc = cb(table, w, v ? sb_strtou(v, NULL) : 0, arg);
		}
	}
	free(buf);
	return rc;
}
