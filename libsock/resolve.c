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
#include <poll.h>
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

/* The nameservers and options of resolv.conf, read once. */
#define MAX_NS 3
static struct resolver {
	int n, timeout, attempts;
	union {
		struct sockaddr sa;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
	} ns[MAX_NS];
} rs;

static int resolv_line(char **w, int n, void *arg)
{
	if (n >= 2 && !strcmp(w[0], "nameserver") && rs.n < MAX_NS) {
		struct sockaddr_in *in = &rs.ns[rs.n].in;
		struct sockaddr_in6 *in6 = &rs.ns[rs.n].in6;

		if (inet_pton(AF_INET, w[1], &in->sin_addr) == 1) {
			in->sin_family = AF_INET;
			in->sin_port = htons(53);
			rs.n++;
		} else if (inet_pton(AF_INET6, w[1], &in6->sin6_addr) == 1) {
			in6->sin6_family = AF_INET6;
			in6->sin6_port = htons(53);
			rs.n++;
		}
	} else if (n >= 2 && !strcmp(w[0], "options")) {
		for (int i = 1; i < n; i++) {
			if (!strncmp(w[i], "timeout:", 8))
				rs.timeout = sb_strtou(w[i] + 8, NULL);
			else if (!strncmp(w[i], "attempts:", 9))
				rs.attempts = sb_strtou(w[i] + 9, NULL);
		}
	}
	return 0;
}

/* One query, asked of each nameserver in turn over a connected UDP
 * socket, as glibc does: a server that cannot be routed to or whose port
 * is closed fails at once (musl's res_query would wait out its timeout
 * for each query, seconds per address in netstat -r). The answer's
 * length, or -1. */
static int dns_query(const char *name, int type, unsigned char *ans, int size)
{
	static int loaded;
	unsigned char q[280];
	int qlen;

	if (!loaded) {
		loaded = 1;
		rs.timeout = 5;
		rs.attempts = 2;
		sk_file_words(NULL, "/etc/resolv.conf", resolv_line, NULL);
		if (!rs.n) {	/* resolv.conf's default: the local host */
			rs.ns[0].in.sin_family = AF_INET;
			rs.ns[0].in.sin_port = htons(53);
			rs.ns[0].in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
			rs.n = 1;
		}
		rs.timeout = rs.timeout < 1 ? 1 : rs.timeout > 30 ? 30 : rs.timeout;
		rs.attempts = rs.attempts < 1 ? 1 : rs.attempts > 5 ? 5 : rs.attempts;
	}
	qlen = res_mkquery(QUERY, name, C_IN, type, NULL, 0, NULL, q, sizeof(q));
	if (qlen < HFIXEDSZ)
		return -1;
	for (int try = 0; try < rs.attempts; try++) {
		for (int i = 0; i < rs.n; i++) {
			int fd = socket(rs.ns[i].sa.sa_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
			int len = -1;

			if (fd < 0)
				continue;
			if (!connect(fd, &rs.ns[i].sa, sizeof(rs.ns[i])) &&
			    send(fd, q, qlen, 0) == qlen) {
				struct pollfd p = { fd, POLLIN, 0 };
				while (poll(&p, 1, rs.timeout * 1000) == 1) {
					len = recv(fd, ans, size, 0);
					/* not ours: keep listening */
					if (len >= HFIXEDSZ && (ans[0] != q[0] || ans[1] != q[1] || !(ans[2] & 0x80))) {
						len = -1;
						continue;
					}
					break;
				}
			}
			close(fd);
			/* SERVFAIL, NOTIMP, REFUSED: the next server may know */
			if (len >= HFIXEDSZ && (ans[3] & 15) != 2 && (ans[3] & 15) < 4)
				return len;
		}
	}
	return -1;
}

/* Each answer record of a DNS query of that type, to fn with its data
 * (bounded by the answer), until fn returns non-zero, which is returned;
 * -1 when there is no usable answer. */
static int dns_answers(const char *name, int type,
		       int (*fn)(const unsigned char *msg, const unsigned char *end,
				 const unsigned char *rdata, int rdlen, void *arg),
		       void *arg)
{
	unsigned char ans[1024], *p, *end;
	int len, count, rc = -1;

	len = dns_query(name, type, ans, sizeof(ans));
	if (len < HFIXEDSZ || len > (int)sizeof(ans) || (ans[3] & 15))
		return -1;
	end = ans + len;
	p = ans + HFIXEDSZ;
	for (count = ans[4] << 8 | ans[5]; count > 0; count--) {	/* questions */
		int n = dn_skipname(p, end);
		if (n < 0 || (p += n + QFIXEDSZ) > end)
			return -1;
	}
	for (count = ans[6] << 8 | ans[7]; count > 0 && rc <= 0; count--) {
		int n = dn_skipname(p, end);
		if (n < 0 || p + n + RRFIXEDSZ > end)
			return -1;
		p += n;
		int rtype = p[0] << 8 | p[1], rdlen = p[8] << 8 | p[9];
		p += RRFIXEDSZ;
		if (p + rdlen > end)
			return -1;
		if (rtype == type)
			rc = fn(ans, end, p, rdlen, arg);
		p += rdlen;
	}
	return rc;
}

struct name_buf { char *name; int size; };

static int ptr_answer(const unsigned char *msg, const unsigned char *end,
		      const unsigned char *rdata, int rdlen, void *arg)
{
	struct name_buf *b = arg;

	return dn_expand(msg, end, rdata, b->name, b->size) < 0 ? -1 : 1;
}

/* The PTR record for an address, as getnameinfo(NI_NAMEREQD) asks for it
 * (which would bring libc's printf along, 10 KiB). 0 or -1. */
static int ptr_query(int family, const uint8_t *a, char *name, int size)
{
	static const char hex[] = "0123456789abcdef";
	struct name_buf b = { name, size };
	char q[80], *o = q;

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
	return dns_answers(q, T_PTR, ptr_answer, &b) > 0 ? 0 : -1;
}

struct addr_list {
	const char *name;
	int family;	/* wanted, or AF_UNSPEC */
	struct sk_host_addr *out;
	int n, max;
};

static void addr_add(struct addr_list *l, int family, const void *a)
{
	int len = family == AF_INET ? 4 : 16;

	if (l->n >= l->max || (l->family != AF_UNSPEC && l->family != family))
		return;
	for (int i = 0; i < l->n; i++)
		if (l->out[i].family == family && !memcmp(l->out[i].addr, a, len))
			return;
	l->out[l->n].family = family;
	memcpy(l->out[l->n++].addr, a, len);
}

static int hosts_name_line(char **w, int n, void *arg)
{
	struct addr_list *l = arg;
	uint8_t a[16];

	for (int i = 1; i < n && w[i][0] != '#'; i++) {
		if (strcasecmp(w[i], l->name))
			continue;
		if (inet_pton(AF_INET, w[0], a) == 1)
			addr_add(l, AF_INET, a);
		else if (inet_pton(AF_INET6, w[0], a) == 1)
			addr_add(l, AF_INET6, a);
		break;
	}
	return 0;
}

static int addr_answer(const unsigned char *msg, const unsigned char *end,
		       const unsigned char *rdata, int rdlen, void *arg)
{
	if (rdlen == 4 || rdlen == 16)
		addr_add(arg, rdlen == 4 ? AF_INET : AF_INET6, rdata);
	return 0;
}

int sk_host_addrs(const char *name, int family, struct sk_host_addr *out, int max)
{
	struct addr_list l = { name, family, out, 0, max };

	if (!IS_ENABLED(CONFIG_RESOLVE))
		return 0;
	sk_file_words(NULL, "/etc/hosts", hosts_name_line, &l);
	if (l.n)	/* "files" answered: no DNS, as nsswitch's "files dns" */
		return l.n;
	if (family != AF_INET6)
		dns_answers(name, T_A, addr_answer, &l);
	if (family != AF_INET)
		dns_answers(name, T_AAAA, addr_answer, &l);
	return l.n;
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
		if (ptr_query(family, a, name, sizeof(name)))
			return NULL;
	}
	/* a name from DNS is not trusted to be printable */
	size_t n = strlen(name);
	h->name = malloc(4 * n + 1);
	if (h->name)
		h->name[fmt_safe(h->name, name, n)] = 0;
	return h->name;
}
