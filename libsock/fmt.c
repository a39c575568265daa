#include <fcntl.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sockbox.h"
#include "libsock/fmt.h"
#include "libsock/out.h"

/* One decimal octet: no division loop, no copy (every address of a
 * dump goes through here). */
static char *put_octet(char *p, unsigned v)
{
	if (v >= 100) {
		*p++ = '0' + v / 100;
		v %= 100;
		*p++ = '0' + v / 10;
	} else if (v >= 10) {
		*p++ = '0' + v / 10;
	}
	*p++ = '0' + v % 10;
	return p;
}

size_t fmt_ip4(char *buf, const uint8_t a[4])
{
	char *p = put_octet(buf, a[0]);

	for (int i = 1; i < 4; i++) {
		*p++ = '.';
		p = put_octet(p, a[i]);
	}
	*p = 0;
	return p - buf;
}

/* A 16-bit group in hex without leading zeros. */
static char *put_hex16(char *p, unsigned x)
{
	static const char hex[16] = "0123456789abcdef";

	if (x >= 0x1000)
		*p++ = hex[x >> 12];
	if (x >= 0x100)
		*p++ = hex[(x >> 8) & 15];
	if (x >= 0x10)
		*p++ = hex[(x >> 4) & 15];
	*p++ = hex[x & 15];
	return p;
}

size_t fmt_ip6(char *buf, const uint8_t a[16])
{
	unsigned w[8];
	int best = -1, bestlen = 0;
	char *p = buf;

	for (int i = 0; i < 8; i++)
		w[i] = a[2 * i] << 8 | a[2 * i + 1];
	/* The first longest run of zero groups. */
	for (int i = 0; i < 8; i++) {
		if (w[i])
			continue;
		int j = i + 1;
		while (j < 8 && !w[j])
			j++;
		if (j - i > bestlen)
			best = i, bestlen = j - i;
		i = j;
	}
	if (bestlen < 2)
		best = -1;
	/* v4-compatible or v4-mapped: the last 32 bits dotted */
	if (best == 0 && (bestlen == 6 || (bestlen == 5 && w[5] == 0xffff))) {
		memcpy(p, bestlen == 6 ? "::" : "::ffff:", bestlen == 6 ? 2 : 7);
		p += bestlen == 6 ? 2 : 7;
		return p - buf + fmt_ip4(p, a + 12);
	}
	for (int i = 0; i < 8; i++) {
		if (i == best) {
			*p++ = ':';
			if (i == 0)
				*p++ = ':';
			i += bestlen - 1;
			continue;
		}
		p = put_hex16(p, w[i]);
		if (i < 7)
			*p++ = ':';
	}
	*p = 0;
	return p - buf;
}

/* /etc/services, loaded once: entries kept in file order so the first
 * match wins, as getservbyport does. */
struct service {
	uint16_t port;
	char proto[6];
	char *name;
};
static struct service *services;
static size_t n_services;

static void services_load(void)
{
	static int loaded;
	char line[512];
	struct sb_file *f;

	if (loaded)
		return;
	loaded = 1;
	f = sb_fopen("/etc/services");
	if (!f)
		return;
	size_t cap = 0;
	while (sb_fgets(line, sizeof(line), f)) {
		char *hash = strchr(line, '#');
		if (hash)
			*hash = 0;
		char *name = strtok(line, " \t\n");
		char *pp = strtok(NULL, " \t\n");
		if (!name || !pp)
			continue;
		char *slash = strchr(pp, '/');
		if (!slash || strlen(slash + 1) >= sizeof(services->proto))
			continue;
		char *end;
		unsigned long port = sb_strtou(pp, &end);
		if (end != slash || port > 65535)
			continue;
		if (n_services == cap) {
			cap = cap ? cap * 2 : 256;
			struct service *ns = realloc(services, cap * sizeof(*ns));
			if (!ns)
				break;
			services = ns;
		}
		struct service *s = &services[n_services];
		s->port = port;
		strcpy(s->proto, slash + 1);
		s->name = strdup(name);
		if (s->name)
			n_services++;
	}
	sb_fclose(f);
}

const char *sk_service_name(uint16_t port, const char *proto)
{
	/* A direct map per common protocol makes repeated look-ups O(1). */
	static const char **cache[2];
	int ci = !proto ? -1 : !strcmp(proto, "tcp") ? 0 : !strcmp(proto, "udp") ? 1 : -1;

	if (!IS_ENABLED(CONFIG_SERVICES))
		return NULL;
	services_load();
	if (ci >= 0) {
		if (!cache[ci]) {
			cache[ci] = calloc(65536, sizeof(char *));
			if (!cache[ci])
				goto slow;
			for (size_t i = n_services; i-- > 0;)
				if (!strcmp(services[i].proto, proto))
					cache[ci][services[i].port] = services[i].name;
		}
		return cache[ci][port];
	}
slow:
	for (size_t i = 0; i < n_services; i++)
		if (services[i].port == port && (!proto || !strcmp(services[i].proto, proto)))
			return services[i].name;
	return NULL;
}

int sk_service_port(const char *name, const char *proto)
{
	if (!IS_ENABLED(CONFIG_SERVICES))
		return -1;
	services_load();
	for (size_t i = 0; i < n_services; i++)
		if (!strcmp(services[i].name, name) &&
		    (!proto || !strcmp(services[i].proto, proto)))
			return services[i].port;
	return -1;
}

const char *sk_proc_path(char *buf, size_t size, const char *rel)
{
	const char *root = getenv("PROC_ROOT");
	size_t rl, l;

	if (!root)
		root = "/proc";
	rl = strlen(root);
	l = strlen(rel);
	if (rl + 1 + l >= size) {	/* too long: an empty path fails to open */
		buf[0] = 0;
		return buf;
	}
	memcpy(buf, root, rl);
	buf[rl] = '/';
	memcpy(buf + rl + 1, rel, l + 1);
	return buf;
}

void sk_local_port_range(unsigned *lo, unsigned *hi)
{
	static unsigned rlo, rhi;

	if (!rhi) {
		char path[256], txt[64];
		int fd = open(sk_proc_path(path, sizeof(path),
				"sys/net/ipv4/ip_local_port_range"), O_RDONLY | O_CLOEXEC);
		ssize_t n = fd >= 0 ? read(fd, txt, sizeof(txt) - 1) : -1;

		if (fd >= 0)
			close(fd);
		rlo = 1024, rhi = 4999;
		if (n > 0) {
			char *end;
			txt[n] = 0;
			unsigned long a = sb_strtou(txt, &end);
			unsigned long b = sb_strtou(end, NULL);
			if (a && b)
				rlo = a, rhi = b;
		}
	}
	*lo = rlo;
	*hi = rhi;
}

int sk_port_ephemeral(uint16_t port)
{
	unsigned lo, hi;

	sk_local_port_range(&lo, &hi);
	return port >= lo && port <= hi;
}

const char *sk_ifname(unsigned ifindex)
{
	static unsigned last_index;
	static char last[IF_NAMESIZE + 8];

	if (ifindex != last_index || !last[0]) {
		if (!if_indextoname(ifindex, last)) {
			char *p = last;
			memcpy(p, "if", 2);
			fmt_u64(p + 2, ifindex);
		}
		last_index = ifindex;
	}
	return last;
}

size_t fmt_utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, cp = c & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* no overlong forms, no surrogates, nothing past U+10FFFF */
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

size_t fmt_safe(char *buf, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	char *p = buf;

	for (size_t i = 0, k; i < n; i += k) {
		k = fmt_utf8_len(s + i, n - i);
		if (k && s[i] >= 0x20 && s[i] != 0x7f) {
			memcpy(p, s + i, k);
			p += k;
			continue;
		}
		*p++ = '\\';
		*p++ = 'x';
		*p++ = "0123456789abcdef"[s[i] >> 4];
		*p++ = "0123456789abcdef"[s[i] & 15];
		k = 1;
	}
	*p = 0;
	return p - buf;
}

const char *sk_proto_name(unsigned proto)
{
	/* /etc/protocols loaded once into a table by number: the first name
	 * listed for a number wins, as getprotobynumber returns it. */
	static char *names[256];
	static int loaded;

	if (proto > 255)
		return NULL;
	if (!loaded) {
		char line[512];
		struct sb_file *f = sb_fopen("/etc/protocols");

		loaded = 1;
		while (f && sb_fgets(line, sizeof(line), f)) {
			char *hash = strchr(line, '#');
			if (hash)
				*hash = 0;
			char *name = strtok(line, " \t\n");
			char *num = strtok(NULL, " \t\n");
			char *end;
			unsigned long n = num ? sb_strtou(num, &end) : 256;
			if (!name || n > 255 || *end || names[n])
				continue;
			names[n] = strdup(name);
		}
		if (f)
			sb_fclose(f);
	}
	return names[proto];
}

int sk_proto_number(const char *name)
{
	char line[512];
	struct sb_file *f = sb_fopen("/etc/protocols");
	int found = -1;

	while (found < 0 && f && sb_fgets(line, sizeof(line), f)) {
		char *w[16], *end, *hash = strchr(line, '#');
		if (hash)
			*hash = 0;
		int n = sk_split_words(line, w, 16);
		if (n < 2)
			continue;
		unsigned long num = sb_strtou(w[1], &end);
		if (num > 255 || *end)
			continue;
		for (int i = 0; i < n; i++)
			if (i != 1 && !strcmp(w[i], name))
				found = num;
	}
	if (f)
		sb_fclose(f);
	return found;
}

int sk_split_words(char *s, char **w, int max)
{
	int n = 0;

	while (n < max) {
		s += strspn(s, " \t\n");
		if (!*s)
			break;
		w[n++] = s;
		s += strcspn(s, " \t\n");
		if (*s)
			*s++ = 0;
	}
	return n;
}
