/* netstat -r, -i and -g: routing table, interface table, multicast
 * groups, in net-tools 2.10's layout. */
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>

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

static int is_reject(const struct sk_route *r)
{
	return r->type == RTN_UNREACHABLE || r->type == RTN_PROHIBIT || r->type == RTN_BLACKHOLE;
}

static int route4(const struct sk_route *r, void *arg)
{
	char dst[64], gw[64], mask[16], flags[8] = "", b1[24], b2[24], b3[24];
	uint8_t m[4] = { 0 };

	/* /proc/net/route, which net-tools reads, is the main table */
	if (r->table != RT_TABLE_MAIN || (r->type != RTN_UNICAST && !is_reject(r)))
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
	if (is_reject(r)) {
		strcpy(gw, "-");
		strcpy(flags, "!");
	} else {
		if (r->has_gw)
			fmt_ip4(gw, r->gw);
		else
			strcpy(gw, "0.0.0.0");
		strcpy(flags, "U");
		if (r->has_gw)
			strcat(flags, "G");
		if (r->dst_len == 32)
			strcat(flags, "H");
	}
	const char *dev = is_reject(r) || !r->oif ? "-" : sk_ifname(r->oif);
	const char *mss = is_reject(r) ? "-" : num(r->advmss ? r->advmss + 40 : 0, b1);
	const char *win = is_reject(r) ? "-" : num(r->window, b2);
	const char *rtt = is_reject(r) ? "-" : num(r->rtt >> 3, b3);
	char line[256];

	pad(dst, 15);
	out_char(' ');
	pad(gw, 15);
	out_char(' ');
	pad(mask, 15);
	out_char(' ');
	pad(flags, 5);
	out_char(' ');
	if (ns.extend) {	/* -e: Metric Ref Use (net-tools swaps -e for routes) */
		pad(num(r->priority, line), 6);
		out_char(' ');
		pad(is_reject(r) ? "-" : "0", 2);
		out_char(' ');
		rpad("0", 7);
		out_char(' ');
		if (ns.extend > 1) {
			pad(dev, 8);
			out_char(' ');
			pad(mss, 5);
			out_char(' ');
			pad(win, 6);
			out_char(' ');
			out_str(rtt);
		} else {
			out_str(dev);
		}
	} else {
		rpad(mss, 5);
		out_char(' ');
		pad(win, 5);
		out_char(' ');
		rpad(rtt, 6);
		out_char(' ');
		out_str(dev);
	}
	out_char('\n');
	return 0;
}

int ns_routes(int family)
{
	if (family != AF_INET)
		sb_die(1, "the IPv6 routing table (-r -6) is not available in this build yet");
	if (!NS_JSON)
		out_str("Kernel IP routing table\n");
	if (NS_JSON)
		ns_json_begin();
	else if (!ns.extend)
		out_str("Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface\n");
	else if (ns.extend == 1)
		out_str("Destination     Gateway         Genmask         Flags Metric Ref    Use Iface\n");
	else
		out_str("Destination     Gateway         Genmask         Flags Metric Ref    Use Iface    MSS   Window irtt\n");
	int rc = sk_route_dump(AF_INET, route4, NULL);
	if (NS_JSON)
		ns_json_end();
	if (rc < 0)
		sb_warn("cannot read the routing table: %s", strerror(-rc));
	return rc < 0;
}

static int iface(const struct sk_link *l, void *arg)
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

	if (!ns.all && !(l->flags & IFF_UP))
		return 0;
	if (NS_JSON) {
		ns_json_link(l);
		return 0;
	}
	snprintf(name, sizeof(name), "%.15s", l->name);
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
	if (!l->flags)
		out_str("[NO FLAGS]");
	for (size_t i = 0; i < ARRAY_SIZE(letters); i++)
		if (l->flags & letters[i].flag)
			out_char(letters[i].c);
	out_char('\n');
	return 0;
}

int ns_interfaces(void)
{
	if (ns.extend)
		sb_die(1, "-ie (ifconfig-style interface blocks) is not available in this build yet");
	if (NS_JSON)
		ns_json_begin();
	else
		out_str("Kernel Interface table\n"
			"Iface             MTU    RX-OK RX-ERR RX-DRP RX-OVR    TX-OK TX-ERR TX-DRP TX-OVR Flg\n");
	int rc = sk_link_dump(iface, NULL);
	if (NS_JSON)
		ns_json_end();
	if (rc < 0)
		sb_warn("cannot read the interface table: %s", strerror(-rc));
	return rc < 0;
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
	FILE *f = fopen(sk_proc_path(path, sizeof(path), "net/igmp"), "re");

	if (!f)
		return;
	fgets(line, sizeof(line), f);
	while (fgets(line, sizeof(line), f)) {
		char *w[4];
		int n = sk_split_words(line + (line[0] == '\t'), w, 4);
		if (line[0] != '\t') {	/* "IDX NAME : COUNT ..." */
			snprintf(dev, sizeof(dev), "%s", n >= 2 ? w[1] : "");
			continue;
		}
		if (n < 2 || strlen(w[0]) != 8)
			continue;
		unsigned users = strtoul(w[1], NULL, 10);
		uint32_t raw = hexval(w[0], 8);
		uint8_t a[4];
		memcpy(a, &raw, 4);
		group_row(dev, users, AF_INET, a);
	}
	fclose(f);
}

static void groups6(void)
{
	char path[256], line[512];
	FILE *f = fopen(sk_proc_path(path, sizeof(path), "net/igmp6"), "re");

	while (f && fgets(line, sizeof(line), f)) {
		char *w[4];
		uint8_t a[16];

		/* "IDX NAME HEXADDR USERS ..." */
		if (sk_split_words(line, w, 4) != 4 || strlen(w[2]) != 32)
			continue;
		for (int i = 0; i < 16; i++)
			a[i] = hexval(w[2] + 2 * i, 2);
		group_row(w[1], strtoul(w[3], NULL, 10), AF_INET6, a);
	}
	if (f)
		fclose(f);
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
