/* netstat -r, -i and -g: routing table, interface table, multicast
 * groups, in net-tools 2.10's layout. */
#include <errno.h>
#include <fcntl.h>
#include <net/if_arp.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>
#include <linux/route.h>
#include <linux/ipv6_route.h>

#include "sockbox.h"
#include "libsock/fmt.h"
#include "libsock/out.h"
#include "libsock/rtnl.h"
#include "netstat.h"

static void pad(const char *s, int width)
{
	size_t n = strlen(s);

	out_write(s, n);
	if ((int)n < width)
		out_spaces(width - n);
}

static void rpad(const char *s, int width)
{
	size_t n = strlen(s);

	if ((int)n < width)
		out_spaces(width - n);
	out_write(s, n);
}

static const char *num(uint64_t v, char *buf)
{
	fmt_u64(buf, v);
	return buf;
}

/* Route -e levels as net-tools counts them: none 2, -e 1, -ee 3. */
static int route_ext(void)
{
	int e = ns.extend == 2 ? 1 : ns.extend == 1 ? 2 : ns.extend;
	return e & 3;
}

/* /proc/net/route, which net-tools reads, is the main table without
 * broadcast and multicast routes; unreachable and prohibit are "!". */
static int route4(const struct sk_route *r, void *arg)
{
	char dst[64], gw[64], mask[16], flags[8] = "U", b1[24], b2[24], b3[24], line[24];
	uint8_t m[4] = { 0 };
	int ext = route_ext();
	int reject = r->type == RTN_UNREACHABLE || r->type == RTN_PROHIBIT;

	if (!ext || r->table != RT_TABLE_MAIN || r->type == RTN_BROADCAST ||
	    r->type == RTN_MULTICAST)
		return 0;
	if (NS_JSON) {
		ns_json_route(r);
		return 0;
	}
	for (int i = 0; i < r->dst_len && i < 32; i++)
		m[i / 8] |= 0x80 >> (i % 8);
	fmt_ip4(mask, m);
	if (!ns.numeric_hosts && !r->dst_len)
		strcpy(dst, "default");
	else
		fmt_ip4(dst, r->dst);
	if (r->has_gw) {
		fmt_ip4(gw, r->gw);
		strcat(flags, "G");
	} else {
		strcpy(gw, "0.0.0.0");
	}
	if (reject)
		strcpy(flags, "!");
	if (r->dst_len == 32)
		strcat(flags, "H");
	const char *dev = r->oif ? sk_ifname(r->oif) : "*";
	const char *metric = num(r->priority, line);

	pad(dst, 15);
	out_char(' ');
	if (reject) {
		out_str("-               ");
		pad(mask, 15);
		out_char(' ');
		pad(flags, 5);
		out_char(' ');
		if (ext == 2)
			out_str("    - -          - -\n");
		else if (ext) {
			pad(metric, 6);
			out_str(" -  ");
			rpad("0", 7);
			out_str(ext == 1 ? " -\n" : " -        -     -      -\n");
		}
		return 0;
	}
	pad(gw, 15);
	out_char(' ');
	pad(mask, 15);
	out_char(' ');
	pad(flags, 5);
	out_char(' ');
	const char *mss = num(r->advmss ? r->advmss + 40 : 0, b1);
	const char *win = num(r->window, b2);
	const char *rtt = num(r->rtt >> 3, b3);
	if (ext == 1) {
		pad(metric, 6);
		out_str(" 0  ");
		rpad("0", 7);
		out_char(' ');
		out_str(dev);
	} else if (ext == 2) {
		rpad(mss, 5);
		out_char(' ');
		pad(win, 5);
		out_char(' ');
		rpad(rtt, 6);
		out_char(' ');
		out_str(dev);
	} else if (ext == 3) {
		pad(metric, 6);
		out_str(" 0   ");
		rpad("0", 6);
		out_char(' ');
		char d6[8];
		sb_snprintf(d6, sizeof(d6), "%.6s", dev);
		pad(d6, 6);
		out_str("   ");
		pad(mss, 5);
		out_char(' ');
		pad(win, 6);
		out_char(' ');
		out_str(rtt);
	}
	out_char('\n');
	return 0;
}

static void route6_addr(const uint8_t *a, int plen, int width)
{
	char host[160], b[8];

	ns_host(AF_INET6, a, host);
	if (plen >= 0) {
		strcat(host, "/");
		strcat(host, num(plen, b));
	}
	pad(host, width);
}

/* "%-30s %-26s %-4s %-3d %-1d %6d %s" as rprint_fib6 */
static int route6(const struct sk_route6 *r, void *cache)
{
	static const struct {
		uint32_t flag;
		char c;
	} letters[] = {
		{ RTF_UP, 'U' }, { RTF_REJECT, '!' }, { RTF_GATEWAY, 'G' }, { RTF_HOST, 'H' },
		{ RTF_DEFAULT, 'D' }, { RTF_ADDRCONF, 'A' }, { RTF_CACHE, 'C' },
		{ RTF_ALLONLINK, 'a' }, { RTF_EXPIRES, 'e' }, { RTF_MODIFIED, 'm' },
		{ RTF_NONEXTHOP, 'n' }, { RTF_FLOW, 'f' },
	};
	char flags[16], b[24];
	size_t n = 0;

	if (!(r->flags & RTF_CACHE) != !cache)
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(letters); i++)
		if (r->flags & letters[i].flag)
			flags[n++] = letters[i].c;
	flags[n] = 0;
	route6_addr(r->dst, r->dst_len, 30);
	out_char(' ');
	route6_addr(r->gw, -1, 26);
	out_char(' ');
	pad(flags, 4);
	out_char(' ');
	if ((int32_t)r->metric < 0) {	/* net-tools prints it signed */
		b[0] = '-';
		fmt_u64(b + 1, -(int64_t)(int32_t)r->metric);
	} else {
		fmt_u64(b, r->metric);
	}
	pad(b, 3);
	out_char(' ');
	out_str(num(r->refcnt, b));
	out_char(' ');
	rpad(num(r->use, b), 6);
	out_char(' ');
	out_str(r->dev);
	out_char('\n');
	return 0;
}

static int routes6(int cache)
{
	out_str(cache ? "Kernel IPv6 routing cache\n" : "Kernel IPv6 routing table\n");
	out_str("Destination                    Next Hop                   Flag Met Ref  Use If\n");
	int rc = sk_proc_route6_each(route6, cache ? &cache : NULL);
	if (rc < 0) {
		out_flush();
		sb_eprintf("/proc/net/ipv6_route: %s\n", strerror(-rc));
		out_str("INET6 (IPv6) not configured in this system.\n");
	}
	return rc < 0;
}

static void route4_header(const char *first)
{
	static const char *const cols[] = {
		"", "Flags Metric Ref    Use Iface\n", "Flags   MSS Window  irtt Iface\n",
		"Flags Metric Ref    Use Iface    MSS   Window irtt\n",
	};
	int ext = route_ext();

	if (!ext)
		return;
	out_str(first);
	out_str(cols[ext]);
}

/* -r for one family: the FIB (default, -F) and/or the cache (-C).  The
 * IPv4 cache is gone from modern kernels: its header and no rows. */
static int route6_json(const struct sk_route *r, void *arg)
{
	ns_json_route(r);
	return 0;
}

int ns_routes(int family)
{
	int saved = ns.numeric_hosts, rc = 0;

	ns.numeric_hosts |= ns.symbolic;	/* -N means numeric here */
	if (family == AF_INET6 && NS_JSON) {	/* every table, as ipv6_route has */
		ns_json_begin();
		int rc = sk_route_dump(AF_INET6, route6_json, NULL);
		ns_json_end();
		if (rc < 0)
			sb_warn("cannot read the routing table: %s", strerror(-rc));
		return rc < 0;
	}
	if (family == AF_INET6) {
		if (ns.fib || !ns.cache)
			rc = routes6(0);
		if (!rc && ns.cache)
			rc = routes6(1);
	} else {
		if (NS_JSON) {
			ns_json_begin();
			rc = sk_route_dump(AF_INET, route4, NULL);
			ns_json_end();
		} else if (ns.fib || !ns.cache) {
			out_str("Kernel IP routing table\n");
			route4_header("Destination     Gateway         Genmask         ");
			rc = sk_route_dump(AF_INET, route4, NULL);
		}
		if (NS_JSON || ns.fib || !ns.cache) {
			if (rc < 0)
				sb_warn("cannot read the routing table: %s", strerror(-rc));
			rc = rc < 0;
		}
		if (!rc && ns.cache && !NS_JSON) {
			out_str("Kernel IP routing cache\n");
			if (route_ext() == 3)
				out_str("Source          Destination     Gateway         Flags Metric Ref    Use Iface    "
					"MSS   Window irtt  TOS HHRef HHUptod     SpecDst\n");
			else
				route4_header("Source          Destination     Gateway         ");
		}
	}
	ns.numeric_hosts = saved;
	return rc;
}

static void iface_short(const struct sk_link *l)
{
	static const struct {
		uint32_t flag;
		char c;
	} letters[] = {
		{ IFF_ALLMULTI, 'A' }, { IFF_BROADCAST, 'B' }, { IFF_DEBUG, 'D' },
		{ IFF_LOOPBACK, 'L' }, { IFF_MULTICAST, 'M' }, { IFF_DYNAMIC, 'd' },
		{ IFF_PROMISC, 'P' }, { IFF_NOTRAILERS, 'N' }, { IFF_NOARP, 'O' },
		{ IFF_POINTOPOINT, 'p' }, { IFF_SLAVE, 's' }, { IFF_MASTER, 'm' },
		{ IFF_RUNNING, 'R' }, { IFF_UP, 'U' },
	};
	char b[24], name[16];

	sb_snprintf(name, sizeof(name), "%.15s", l->name);
	pad(name, 15);
	out_char(' ');
	rpad(num(l->mtu, b), 5);
	out_char(' ');
	rpad(num(l->rx_packets, b), 8);
	out_char(' ');
	rpad(num(l->rx_errors, b), 6);
	out_char(' ');
	rpad(num(l->rx_dropped + l->rx_missed_errors, b), 6);
	out_char(' ');
	pad(num(l->rx_fifo_errors, b), 6);	/* RX-OVR: left-aligned, as net-tools */
	out_char(' ');
	rpad(num(l->tx_packets, b), 8);
	out_char(' ');
	rpad(num(l->tx_errors, b), 6);
	out_char(' ');
	rpad(num(l->tx_dropped, b), 6);
	out_char(' ');
	rpad(num(l->tx_fifo_errors, b), 6);
	out_char(' ');
	if (!(l->flags & 0xffff))
		out_str("[NO FLAGS]");
	for (size_t i = 0; i < ARRAY_SIZE(letters); i++)
		if (l->flags & letters[i].flag)
			out_char(letters[i].c);
	out_char('\n');
}

/* a growing array of T: realloc'ed by PUSH, NULL-safe to free */
#define PUSH(arr, n, cap, item)                                                       \
	({                                                                            \
		int ok_ = 1;                                                          \
		if ((n) == (cap)) {                                                   \
			void *p_ = realloc((arr), ((cap) = (cap) * 2 + 16) * sizeof(*(arr))); \
			if (p_)                                                       \
				(arr) = p_;                                           \
			else                                                          \
				ok_ = 0, (cap) = (n);                                 \
		}                                                                     \
		if (ok_)                                                              \
			(arr)[(n)++] = *(item);                                       \
		ok_ ? 0 : -ENOMEM;                                                    \
	})

static struct {
	struct sk_link *links;
	size_t nl, capl;
	struct sk_addr4 *v4;
	size_t n4, cap4;
	struct sk_addr6 *v6;
	size_t n6, cap6;
} tab;

static int collect_link(const struct sk_link *l, void *arg)
{
	return PUSH(tab.links, tab.nl, tab.capl, l);
}

static int collect4(const struct sk_addr4 *a, void *arg)
{
	return PUSH(tab.v4, tab.n4, tab.cap4, a);
}

static int collect6(const struct sk_addr6 *a, void *arg)
{
	return PUSH(tab.v6, tab.n6, tab.cap6, a);
}

/* net-tools' interface order: the name without its trailing number,
 * then that number ("eth2" before "eth10"). */
static int ifname_cmp(const void *pa, const void *pb)
{
	const char *a = ((const struct sk_link *)pa)->name, *b = ((const struct sk_link *)pb)->name;
	size_t al = strlen(a), bl = strlen(b);

	while (al && a[al - 1] >= '0' && a[al - 1] <= '9')
		al--;
	while (bl && b[bl - 1] >= '0' && b[bl - 1] <= '9')
		bl--;
	int c = strncmp(a, b, al < bl ? al : bl);
	if (c || al != bl)
		return c ? c : al < bl ? -1 : 1;
	long x = (long)sb_strtou(a + al, NULL), y = (long)sb_strtou(b + bl, NULL);
	return x < y ? -1 : x > y;
}

/* " (%lu.%lu %s)" of a byte count, as ifconfig: tenths, truncated */
static void bytes_human(uint64_t v)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	uint64_t t = v * 10;
	int u = 0;

	if (v > 1152921504606846976ull) {
		t = v / 115292150460684697ull;
		u = 6;
	} else {
		while (u < 5 && v > 1024ull << (10 * u))
			u++;
		if (u)
			t /= 1ull << (10 * u);
	}
	out_str(" (");
	out_u64(t / 10);
	out_char('.');
	out_u64(t % 10);
	out_char(' ');
	out_str(units[u]);
	out_str(")\n");
}

static void flag_words(char *out, uint32_t flags)
{
	static const struct {
		uint32_t flag;
		const char *word;
	} words[] = {
		{ IFF_UP, "UP," }, { IFF_BROADCAST, "BROADCAST," }, { IFF_DEBUG, "DEBUG," },
		{ IFF_LOOPBACK, "LOOPBACK," }, { IFF_POINTOPOINT, "POINTOPOINT," },
		{ IFF_NOTRAILERS, "NOTRAILERS," }, { IFF_RUNNING, "RUNNING," }, { IFF_NOARP, "NOARP," },
		{ IFF_PROMISC, "PROMISC," }, { IFF_ALLMULTI, "ALLMULTI," }, { IFF_SLAVE, "SLAVE," },
		{ IFF_MASTER, "MASTER," }, { IFF_MULTICAST, "MULTICAST," }, { IFF_DYNAMIC, "DYNAMIC," },
	};
	char *o = stpcpy(out, "flags=");

	o += fmt_u64(o, flags);
	*o++ = '<';
	if (!flags)
		*o++ = '>';
	*o = 0;
	for (size_t i = 0; i < ARRAY_SIZE(words); i++)
		if (flags & words[i].flag)
			o = stpcpy(o, words[i].word);
	if (o[-1] == ',')
		o[-1] = '>';
	else
		o[-1] = 0;
}

static void counter(const char *label, uint64_t v)
{
	out_str(label);
	out_u64(v);
}

static void hex_bytes(const uint8_t *a, int n, char sep, const char *digits)
{
	for (int i = 0; i < n; i++) {
		if (i)
			out_char(sep);
		out_char(digits[a[i] >> 4]);
		out_char(digits[a[i] & 15]);
	}
}

/* ifconfig's block for one interface (net-tools' ife_print_long) */
static void iface_long(const struct sk_link *l)
{
	char buf[256];
	uint32_t flags = l->flags & 0xffff;	/* SIOCGIFFLAGS is 16 bits */

	flag_words(buf, flags);
	out_str(l->name);
	out_str(": ");
	out_str(buf);
	counter("  mtu ", l->mtu);
	out_char('\n');
	for (size_t i = 0; i < tab.n4; i++) {
		const struct sk_addr4 *a = &tab.v4[i];
		uint8_t m[4] = { 0 };
		if (strcmp(a->label, l->name))
			continue;
		for (int k = 0; k < a->prefixlen && k < 32; k++)
			m[k / 8] |= 0x80 >> (k % 8);
		out_str("        inet ");
		fmt_ip4(buf, a->local);
		out_str(buf);
		out_str("  netmask ");
		fmt_ip4(buf, m);
		out_str(buf);
		if (flags & IFF_BROADCAST) {
			out_str("  broadcast ");
			fmt_ip4(buf, a->broadcast);
			out_str(buf);
		}
		if (flags & IFF_POINTOPOINT) {
			out_str("  destination ");
			fmt_ip4(buf, a->peer);
			out_str(buf);
		}
		out_char('\n');
		break;		/* SIOCGIFADDR: the first one of that label */
	}
	for (size_t i = 0; i < tab.n6; i++) {
		const struct sk_addr6 *a = &tab.v6[i];
		uint32_t scope = a->scope;
		if (strcmp(a->dev, l->name))
			continue;
		out_str("        inet6 ");
		fmt_ip6(buf, a->addr);
		out_str(buf);
		counter("  prefixlen ", a->prefixlen);
		out_str("  scopeid 0x");
		out_hex(scope);
		char *o = stpcpy(buf, "<");
		if (scope & 0x80) {
			o = stpcpy(o, "compat,");
			scope -= 0x80;
		}
		if (!scope)
			o = stpcpy(o, "global,");
		if (scope & 0x20)
			o = stpcpy(o, "link,");
		if (scope & 0x40)
			o = stpcpy(o, "site,");
		if (scope & 0x10)
			o = stpcpy(o, "host,");
		o[-1] = o[-1] == ',' ? '>' : 0;
		out_str(buf);
		out_char('\n');
	}
	if (l->type == ARPHRD_ETHER) {
		out_str("        ether ");
		hex_bytes(l->addr, 6, ':', "0123456789abcdef");
	} else if (l->type == ARPHRD_LOOPBACK) {
		out_str("        loop");
	} else {	/* net-tools' "unspec": 16 bytes of address */
		uint8_t a[16] = { 0 };
		memcpy(a, l->addr, l->addr_len < 16 ? l->addr_len : 16);
		out_str("        unspec ");
		hex_bytes(a, 16, '-', "0123456789ABCDEF");
	}
	counter("  txqueuelen ", l->txqlen);
	out_str(l->type == ARPHRD_ETHER ? "  (Ethernet)\n" :
		l->type == ARPHRD_LOOPBACK ? "  (Local Loopback)\n" : "  (UNSPEC)\n");
	counter("        RX packets ", l->rx_packets);
	counter("  bytes ", l->rx_bytes);
	bytes_human(l->rx_bytes);
	counter("        RX errors ", l->rx_errors);
	counter("  dropped ", l->rx_dropped + l->rx_missed_errors);
	counter("  overruns ", l->rx_fifo_errors);
	counter("  frame ", l->rx_length_errors + l->rx_over_errors + l->rx_crc_errors +
		l->rx_frame_errors);
	counter("\n        TX packets ", l->tx_packets);
	counter("  bytes ", l->tx_bytes);
	bytes_human(l->tx_bytes);
	counter("        TX errors ", l->tx_errors);
	counter("  dropped ", l->tx_dropped);
	counter(" overruns ", l->tx_fifo_errors);
	counter("  carrier ", l->tx_carrier_errors + l->tx_aborted_errors + l->tx_window_errors +
		l->tx_heartbeat_errors);
	counter("  collisions ", l->collisions);
	out_str("\n\n");
}

/* -i: "Kernel Interface table" once (net-tools leaves it out of later -c
 * rounds), then the short table or, with -e, ifconfig's blocks. */
int ns_interfaces(int round)
{
	int rc, blocks = ns.extend > 1;

	if (blocks && !IS_ENABLED(CONFIG_NETSTAT_IFCONFIG))
		sb_die(1, "-ie is not enabled in this build");
	blocks = blocks && IS_ENABLED(CONFIG_NETSTAT_IFCONFIG);
	tab.nl = tab.n4 = tab.n6 = 0;
	rc = sk_link_dump(collect_link, NULL);
	if (NS_JSON)
		blocks = 0;
	else if (!round)
		out_str("Kernel Interface table\n");
	if (NS_JSON) {
		ns_json_begin();
	} else if (!blocks) {
		out_str("Iface             MTU    RX-OK RX-ERR RX-DRP RX-OVR    TX-OK TX-ERR TX-DRP TX-OVR Flg\n");
	} else {
		if (!rc)
			rc = sk_addr4_dump(collect4, NULL);
		sk_proc_addr6_each(collect6, NULL);	/* no IPv6: no inet6 lines */
	}
	if (rc < 0) {
		sb_warn("cannot read the interface table: %s", strerror(-rc));
		return 1;
	}
	sb_sort(tab.links, tab.nl, sizeof(*tab.links), ifname_cmp);
	for (size_t i = 0; i < tab.nl; i++) {
		if (!ns.all && !(tab.links[i].flags & IFF_UP))
			continue;
		if (NS_JSON)
			ns_json_link(&tab.links[i]);
		else if (!blocks)
			iface_short(&tab.links[i]);
		else
			iface_long(&tab.links[i]);
	}
	if (NS_JSON)
		ns_json_end();
	return 0;
}

static void group_row(const char *dev, unsigned users, int family, const uint8_t *addr)
{
	char host[128], b[24];

	if (NS_JSON) {
		ns_json_group(dev, users, family, addr);
		return;
	}
	pad(dev, 15);
	out_char(' ');
	pad(num(users, b), 6);
	out_char(' ');
	out_str(ns_host(family, addr, host));
	out_char('\n');
}

static unsigned hexval(const char *s, int digits)
{
	unsigned v = 0;

	while (digits-- > 0 && *s) {
		char c = *s++;
		v = v << 4 | (c >= 'a' ? c - 'a' + 10 : c >= 'A' ? c - 'A' + 10 : c - '0');
	}
	return v;
}

/* /proc/net/igmp: a device line "IDX\tNAME : COUNT QUERIER", then one
 * indented line per group "GROUP USERS TIMER REPORTER" (group as the
 * kernel's %08X of the raw address). */
static void groups4(void)
{
	char path[256], line[512], dev[32] = "";
	struct sb_file *f = sb_fopen(sk_proc_path(path, sizeof(path), "net/igmp"));

	if (!f)
		return;
	sb_fgets(line, sizeof(line), f);
	while (sb_fgets(line, sizeof(line), f)) {
		char *w[4];
		int n = sk_split_words(line + (line[0] == '\t'), w, 4);
		if (line[0] != '\t') {	/* "IDX NAME : COUNT ..." */
			sb_snprintf(dev, sizeof(dev), "%s", n >= 2 ? w[1] : "");
			continue;
		}
		if (n < 2 || strlen(w[0]) != 8)
			continue;
		unsigned users = sb_strtou(w[1], NULL);
		uint32_t raw = hexval(w[0], 8);
		uint8_t a[4];
		memcpy(a, &raw, 4);
		group_row(dev, users, AF_INET, a);
	}
	sb_fclose(f);
}

static void groups6(void)
{
	char path[256], line[512];
	struct sb_file *f = sb_fopen(sk_proc_path(path, sizeof(path), "net/igmp6"));

	while (f && sb_fgets(line, sizeof(line), f)) {
		char *w[4];
		uint8_t a[16];

		/* "IDX NAME HEXADDR USERS ..." */
		if (sk_split_words(line, w, 4) != 4 || strlen(w[2]) != 32)
			continue;
		for (int i = 0; i < 16; i++)
			a[i] = hexval(w[2] + 2 * i, 2);
		group_row(w[1], sb_strtou(w[3], NULL), AF_INET6, a);
	}
	if (f)
		sb_fclose(f);
}

int ns_groups(void)
{
	if (NS_JSON)
		ns_json_begin();
	else
		out_str("IPv6/IPv4 Group Memberships\n"
			"Interface       RefCnt Group\n"
			"--------------- ------ ---------------------\n");
	if (ns.inet || !ns.inet6)
		groups4();
	if (ns.inet6 || !ns.inet)
		groups6();
	if (NS_JSON)
		ns_json_end();
	return 0;
}
