/* Reverse DNS with a cache per address (ss -r): each address is looked up
 * once, failures included, as iproute2 remembers negative answers. */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "sockbox.h"
#include "libsock/fmt.h"

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
		union {
			struct sockaddr_in in;
			struct sockaddr_in6 in6;
		} sa;
		memset(&sa, 0, sizeof(sa));
		if (family == AF_INET) {
			sa.in.sin_family = AF_INET;
			memcpy(&sa.in.sin_addr, a, 4);
		} else {
			sa.in6.sin6_family = AF_INET6;
			memcpy(&sa.in6.sin6_addr, a, 16);
		}
		if (!dns_reachable() ||
		    getnameinfo((struct sockaddr *)&sa, family == AF_INET ? sizeof(sa.in) : sizeof(sa.in6),
				name, sizeof(name), NULL, 0, NI_NAMEREQD))
			return NULL;
	}
	/* a name from DNS is not trusted to be printable */
	size_t n = strlen(name);
	h->name = malloc(4 * n + 1);
	if (h->name)
		h->name[fmt_safe(h->name, name, n)] = 0;
	return h->name;
}
