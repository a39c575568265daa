/* IPv6 tables net-tools reads from /proc (their order and counts are
 * not in netlink's answers): ipv6_route "DST PLEN SRC SLEN NEXTHOP METRIC
 * REF USE FLAGS DEV" and if_inet6 "ADDR IFINDEX PLEN SCOPE FLAGS DEV",
 * addresses as 32 hex digits, numbers in hex. */
#include <errno.h>
#include <string.h>

#include "sockbox.h"
#include "libsock/fmt.h"
#include "libsock/rtnl.h"

static int hex(const char *s, size_t digits, uint8_t *out, uint32_t *val)
{
	uint32_t v = 0;

	if (strlen(s) != digits || digits > 32)
		return -1;
	for (size_t i = 0; i < digits; i++) {
		int c = s[i], d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
				  c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		v = v << 4 | d;
		if (out && i % 2)
			out[i / 2] = v & 0xff;
	}
	if (val)
		*val = v;
	return 0;
}

int sk_proc_route6_each(int (*cb)(const struct sk_route6 *, void *), void *arg)
{
	char path[256], line[512];
	struct sb_file *f = sb_fopen(sk_proc_path(path, sizeof(path), "net/ipv6_route"));
	int rc = 0;

	if (!f)
		return -errno;
	while (!rc && sb_fgets(line, sizeof(line), f)) {
		struct sk_route6 r;
		char *w[10];
		uint32_t plen;

		memset(&r, 0, sizeof(r));
		if (sk_split_words(line, w, 10) != 10 || hex(w[0], 32, r.dst, NULL) ||
		    hex(w[1], 2, NULL, &plen) || hex(w[4], 32, r.gw, NULL) ||
		    hex(w[5], 8, NULL, &r.metric) || hex(w[6], 8, NULL, &r.refcnt) ||
		    hex(w[7], 8, NULL, &r.use) || hex(w[8], 8, NULL, &r.flags))
			continue;
		r.dst_len = plen;
		sb_snprintf(r.dev, sizeof(r.dev), "%s", w[9]);
		rc = cb(&r, arg);
	}
	sb_fclose(f);
	return rc;
}

int sk_proc_addr6_each(int (*cb)(const struct sk_addr6 *, void *), void *arg)
{
	char path[256], line[256];
	struct sb_file *f = sb_fopen(sk_proc_path(path, sizeof(path), "net/if_inet6"));
	int rc = 0;

	if (!f)
		return -errno;
	while (!rc && sb_fgets(line, sizeof(line), f)) {
		struct sk_addr6 a;
		char *w[6];

		memset(&a, 0, sizeof(a));
		if (sk_split_words(line, w, 6) != 6 || hex(w[0], 32, a.addr, NULL) ||
		    hex(w[2], strlen(w[2]), NULL, &a.prefixlen) ||
		    hex(w[3], strlen(w[3]), NULL, &a.scope) || hex(w[4], strlen(w[4]), NULL, &a.flags))
			continue;
		sb_snprintf(a.dev, sizeof(a.dev), "%s", w[5]);
		rc = cb(&a, arg);
	}
	sb_fclose(f);
	return rc;
}
