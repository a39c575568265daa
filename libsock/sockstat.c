/* /proc/net/sockstat{,6} and /proc/net/snmp, read the way iproute2's
 * ss -s reads them: "NAME: label value label value..." lines, and snmp's
 * header/value line pairs. No stdio: the files are small, read whole. */
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

#define FILE_MAX (16 * 1024)

/* $ENV, else $PROC_ROOT/REL, into buf (NUL-terminated); -errno. */
static int slurp(const char *env, const char *rel, char *buf, size_t size)
{
	char path[512];
	const char *p = getenv(env);
	size_t len = 0;
	int fd = open(p ? p : sk_proc_path(path, sizeof(path), rel), O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t n = read(fd, buf + len, size - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
	}
	close(fd);
	buf[len] = 0;
	return 0;
}

static void sockstat_lines(char *text, struct sk_sockstat *s)
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

	for (char *line = text, *next; *line; line = next) {
		char *w[12];
		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = 0;
		int n = sk_split_words(line, w, ARRAY_SIZE(w));
		for (size_t r = 0; n && r < ARRAY_SIZE(rows); r++) {
			if (strcmp(w[0], rows[r].name))
				continue;
			for (int k = 0; k < rows[r].n && 2 + 2 * k < n; k++)
				*(int *)((char *)s + rows[r].off[k]) = strtoul(w[2 + 2 * k], NULL, 10);
			break;
		}
	}
}

int sk_sockstat_read(struct sk_sockstat *s)
{
	char *buf = malloc(FILE_MAX);
	int rc;

	memset(s, 0, sizeof(*s));
	if (!buf)
		return -ENOMEM;
	rc = slurp("PROC_NET_SOCKSTAT", "net/sockstat", buf, FILE_MAX);
	if (!rc) {
		sockstat_lines(buf, s);
		if (!slurp("PROC_NET_SOCKSTAT6", "net/sockstat6", buf, FILE_MAX))
			sockstat_lines(buf, s);
	}
	free(buf);
	return rc;
}

int sk_snmp_value(const char *proto, const char *key, long *v)
{
	char *buf = malloc(FILE_MAX), *w[64], *vals[64];
	size_t plen = strlen(proto);
	int rc;

	*v = 0;
	if (!buf)
		return -ENOMEM;
	rc = slurp("PROC_NET_SNMP", "net/snmp", buf, FILE_MAX);
	if (rc)
		goto out;
	rc = -ESRCH;
	for (char *line = buf, *next; *line; line = next) {
		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = 0;
		if (strncmp(line, proto, plen))
			continue;
		/* a header line; the next line holds the values */
		char *vline = next;
		next = vline + strcspn(vline, "\n");
		if (*next)
			*next++ = 0;
		if (strncmp(vline, proto, plen))
			break;
		int n = sk_split_words(line, w, ARRAY_SIZE(w));
		int m = sk_split_words(vline, vals, ARRAY_SIZE(vals));
		for (int i = 1; i < n; i++)
			if (!strcmp(w[i], key)) {
				if (i < m) {
					*v = strtoul(vals[i], NULL, 10);
					rc = 0;
				}
				goto out;
			}
	}
out:
	free(buf);
	return rc;
}
