/* /proc/net/sockstat{,6} and /proc/net/snmp, read the way iproute2's
 * ss -s reads them: "NAME: label value label value..." lines, and snmp's
 * header/value line pairs; and the word splitter other small files use. */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sockbox.h"
#include "libsock/fmt.h"
#include "libsock/sockstat.h"

int sk_file_words(const char *env, const char *path, int (*fn)(char **w, int n, void *),
		  void *arg)
{
	char tmp[512], *buf, *w[64];
	const char *p = env ? getenv(env) : NULL;
	size_t len = 0, size = 16 * 1024;
	int rc = 0, fd;

	if (!p)
		p = path[0] == '/' ? path : sk_proc_path(tmp, sizeof(tmp), path);
	if ((fd = open(p, O_RDONLY | O_CLOEXEC)) < 0)
		return -errno;
	if (!(buf = malloc(size))) {
		close(fd);
		return -ENOMEM;
	}
	for (ssize_t n; (n = read(fd, buf + len, size - 1 - len)) != 0; len += n > 0 ? n : 0)
		if (n < 0 && errno != EINTR)
			break;
	close(fd);
	buf[len] = 0;
	for (char *line = buf, *next; *line && !rc; line = next) {
		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = 0;
		int n = sk_split_words(line, w, ARRAY_SIZE(w));
		if (n)
			rc = fn(w, n, arg);
	}
	free(buf);
	return rc;
}

static int sockstat_line(char **w, int n, void *arg)
{
	static const struct {
		char name[9];
		uint8_t n;	/* values to take, after their labels */
		uint8_t off[5];
	} rows[] = {
#define O(f) offsetof(struct sk_sockstat, f)
		{ "sockets:", 1, { O(sockets) } },
		{ "TCP:", 5, { O(tcp_inuse), O(tcp_orphan), O(tcp_tw), O(tcp_alloc), O(tcp_mem) } },
		{ "UDP:", 1, { O(udp) } },
		{ "RAW:", 1, { O(raw) } },
		{ "FRAG:", 2, { O(frag), O(frag_mem) } },
		{ "TCP6:", 1, { O(tcp6) } },
		{ "UDP6:", 1, { O(udp6) } },
		{ "RAW6:", 1, { O(raw6) } },
		{ "FRAG6:", 2, { O(frag6), O(frag6_mem) } },
#undef O
	};

	for (size_t r = 0; r < ARRAY_SIZE(rows); r++)
		if (!strcmp(w[0], rows[r].name))
			for (int k = 0; k < rows[r].n && 2 + 2 * k < n; k++)
				*(int *)((char *)arg + rows[r].off[k]) = sb_strtou(w[2 + 2 * k], NULL);
	return 0;
}

int sk_sockstat_read(struct sk_sockstat *s)
{
	int rc;

	memset(s, 0, sizeof(*s));
	rc = sk_file_words("PROC_NET_SOCKSTAT", "net/sockstat", sockstat_line, s);
	if (!rc)	/* no sockstat6 without IPv6: quietly zero */
		sk_file_words("PROC_NET_SOCKSTAT6", "net/sockstat6", sockstat_line, s);
	return rc;
}

struct snmp_want {
	const char *proto, *key;
	int col;	/* the key's column in the last header line, or 0 */
	long v;
};

static int snmp_line(char **w, int n, void *arg)
{
	struct snmp_want *x = arg;

	if (strcmp(w[0], x->proto)) {
		x->col = 0;
		return 0;
	}
	if (x->col)	/* the value line after the header */
		return n > x->col ? (x->v = sb_strtou(w[x->col], NULL), 1) : -ESRCH;
	for (int i = 1; i < n; i++)
		if (!strcmp(w[i], x->key))
			x->col = i;
	return 0;
}

int sk_snmp_value(const char *proto, const char *key, long *v)
{
	struct snmp_want x = { proto, key, 0, 0 };
	int rc = sk_file_words("PROC_NET_SNMP", "net/snmp", snmp_line, &x);

	*v = x.v;
	return rc < 0 ? rc : rc ? 0 : -ESRCH;
}
