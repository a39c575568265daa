/* Reverse DNS with a cache per address (ss -r): each address is looked up
 * once, failures included, as iproute2 remembers negative answers. */
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <resolv.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "sockbox.h"
#include "libsock/fmt.h"
#include "libsock/out.h"

struct host {
	struct host *next;
	uint8_t family, addr[16];
	char *name;		/* terminal-safe; NULL: no name */
};

#define NHASH 256
static struct host *hosts[NHASH];

struct want { int family; const uint8_t *a; char *name; };

static int hosts_line(char **w, int n, void *arg)
{
	struct want *x = arg;
	uint8_t a[16];

	if (n < 2 || inet_pton(x->family, w[0], a) != 1 ||
	    memcmp(a, x->a, x->family == AF_INET ? 4 : 16))
		return 0;
	strncpy(x->name, w[1], NI_MAXHOST - 1);
	return 1;
}

/* Can a DNS query leave this namespace at all? glibc gives up at once when
 * no nameserver is routable, musl waits out its timeouts: ask the routing
 * table first (connect() on UDP sends nothing). */
static int ns_line(char **w, int n, void *arg)
{
	union {
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
	} sa;
	int *seen = arg;

	if (n < 2 || strcmp(w[0], "nameserver"))
		return 0;
	memset(&sa, 0, sizeof(sa));
	if (inet_pton(AF_INET, w[1], &sa.in.sin_addr) == 1) {
		sa.in.sin_family = AF_INET;
		sa.in.sin_port = htons(53);
	} else if (inet_pton(AF_INET6, w[1], &sa.in6.sin6_addr) == 1) {
		sa.in6.sin6_family = AF_INET6;
		sa.in6.sin6_port = htons(53);
	} else {
		return 0;
	}
	*seen = 1;
	int fd = socket(sa.in.sin_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int ok = fd >= 0 && !connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	if (fd >= 0)
		close(fd);
	return ok;
}

static int dns_reachable(void)
{
	static int known, ok;
	int seen = 0;

	if (!known) {
		known = 1;
		ok = sk_file_words(NULL, "/etc/resolv.conf", ns_line, &seen) || !seen;
	}
	return ok;
}

/* The PTR record for an address, as getnameinfo(NI_NAMEREQD) asks for it
 * (which would bring libc's printf along, 10 KiB). 0 or -1. */
static int ptr_query(int family, const uint8_t *a, char *name, int size)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char ans[1024], *p, *end;
	char q[80], *o = q;
	int len, count;

	if (family == AF_INET) {
		for (int i = 3; i >= 0; i--) {
			o += fmt_u64(o, a[i]);
			*o++ = '.';
		}
		strcpy(o, "in-addr.arpa");
	} else {
		for (int i = 15; i >= 0; i--) {
			*o++ = hex[a[i] & 15];
			*o++ = '.';
			*o++ = hex[a[i] >> 4];
			*o++ = '.';
		}
		strcpy(o, "ip6.arpa");
	}
	len = res_query(q, C_IN, T_PTR, ans, sizeof(ans));
	if (len < HFIXEDSZ || len > (int)sizeof(ans))
		return -1;
	end = ans + len;
	p = ans + HFIXEDSZ;
	for (count = ans[4] << 8 | ans[5]; count > 0; count--) {	/* questions */
		int n = dn_skipname(p, end);
		if (n < 0 || (p += n + QFIXEDSZ) > end)
			return -1;
	}
	for (count = ans[6] << 8 | ans[7]; count > 0; count--) {	/* answers */
		int n = dn_skipname(p, end);
		if (n < 0 || p + n + RRFIXEDSZ > end)
			return -1;
		p += n;
		int type = p[0] << 8 | p[1], rdlen = p[8] << 8 | p[9];
		p += RRFIXEDSZ;
		if (p + rdlen > end)
			return -1;
		if (type == T_PTR)
			return dn_expand(ans, end, p, name, size) < 0 ? -1 : 0;
		p += rdlen;
	}
	return -1;
}

const char *sk_host_name(int family, const uint8_t *a)
{
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };
	size_t len = family == AF_INET ? 4 : 16;
	struct host *h;

	if (!IS_ENABLED(CONFIG_RESOLVE))
		return NULL;
	if (family == AF_INET6 && !memcmp(a, mapped, 12)) {
		family = AF_INET;
		a += 12;
		len = 4;
	}
	struct host **b = &hosts[a[len - 1] ^ a[len - 2]];
	for (h = *b; h; h = h->next)
		if (h->family == family && !memcmp(h->addr, a, len))
			return h->name;
	h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	h->family = family;
	memcpy(h->addr, a, len);
	h->next = *b;
	*b = h;
	/* Nobody has a name for 0.0.0.0 (glibc does not even ask). */
	if (family == AF_INET && !(a[0] | a[1] | a[2] | a[3]))
		return NULL;

	char name[NI_MAXHOST] = "";
	struct want x = { family, a, name };
	if (!sk_file_words(NULL, "/etc/hosts", hosts_line, &x)) {
		if (!dns_reachable() || ptr_query(family, a, name, sizeof(name)))
			return NULL;
	}
	/* a name from DNS is not trusted to be printable */
	size_t n = strlen(name);
	h->name = malloc(4 * n + 1);
	if (h->name)
		h->name[fmt_safe(h->name, name, n)] = 0;
	return h->name;
}
