/* netstat --json: sockets, routes, interfaces and groups through
 * libsock's JSON writer, the same rows the text shows. Socket objects are
 * ss's (docs/sockbox-json.schema.json) plus netstat's own columns. */
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <net/if.h>
#include <linux/rtnetlink.h>

#include "sockbox.h"
#include "libsock/fmt.h"
#include "libsock/json.h"
#include "libsock/out.h"
#include "libsock/procmap.h"
#include "libsock/rtnl.h"
#include "libsock/snmp.h"
#include "netstat.h"

void ns_json_begin(void)
{
	json_reset();
	if (ns.json == NS_JSON_ARRAY)
		json_arr_begin();
}

void ns_json_end(void)
{
	if (ns.json == NS_JSON_ARRAY) {
		json_arr_end();
		out_char('\n');
	}
}

static void obj_begin(void)
{
	if (ns.json == NS_JSON_LINES)
		json_reset();
	json_obj_begin();
}

static void obj_end(void)
{
	json_obj_end();
	if (ns.json == NS_JSON_LINES)
		out_char('\n');
}

static void addr(int family, const uint8_t *a)
{
	char buf[FMT_IP6_MAX];

	json_strn(buf, family == AF_INET ? fmt_ip4(buf, a) : fmt_ip6(buf, a));
}

/* -p: ss's "users" and netstat's "program" (PID/Program name's parts) */
static void programs(struct procmap *pm, uint32_t ino)
{
	size_t n = 0;
	const struct sk_owner *o = ino ? procmap_find(pm, ino, &n) : NULL;

	sk_json_users(o, n, 0);
	json_key("program");
	if (!n) {
		json_null();
		return;
	}
	json_obj_begin();
	json_key("pid");
	json_u64(o[n - 1].proc->pid);	/* the first scanned, as the text */
	json_key_str("name", procmap_cmd(pm, o[n - 1].proc));
	json_obj_end();
}

void ns_json_inet(const struct sock_rec *r, struct procmap *pm)
{
	obj_begin();
	sk_json_sock_fields(r);
	json_key_str("user", sk_user_name(r->uid, ns.numeric_users));
	if (pm)
		programs(pm, r->ino);
	if (ns.timers)
		sk_json_details(r, SKJ_TIMER);
	obj_end();
}

/* /proc/net/unix: socket state (SS_*) and type as ss's netid and state */
void ns_json_unix(const struct sk_unix_line *u, struct procmap *pm)
{
	static const char *const netids[] = { [1] = "u_str", [2] = "u_dgr", [5] = "u_seq" };
	static const char *const states[] = { "unknown", "unconnected", "syn-sent",
					      "established", "closing" };
	int listening = u->state == 1 && (u->flags & (1u << 16));

	obj_begin();
	json_key_str("netid", u->type < ARRAY_SIZE(netids) ? netids[u->type] : NULL);
	json_key_str("family", "unix");
	json_key_str("state", listening ? "listening" : u->state < ARRAY_SIZE(states) ? states[u->state] : "unknown");
	json_key("recv_q");
	json_null();
	json_key("send_q");
	json_null();
	json_key("local");
	json_obj_begin();
	json_key("path");
	if (u->path_len)
		json_strn(u->path, u->path_len);
	else
		json_null();
	json_key_u64("inode", u->ino);
	json_obj_end();
	json_key("peer");
	json_null();
	json_key_u64("inode", u->ino);
	json_key("uid");
	json_null();
	json_key("cookie");
	json_null();
	json_key_u64("refcnt", u->refcnt);
	json_key_u64("flags", u->flags);
	if (pm)
		programs(pm, u->ino);
	obj_end();
}

void ns_json_route(const struct sk_route *r)
{
	static const char *const types[] = {
		[RTN_UNICAST] = "unicast", [RTN_LOCAL] = "local", [RTN_BROADCAST] = "broadcast",
		[RTN_ANYCAST] = "anycast", [RTN_MULTICAST] = "multicast",
		[RTN_BLACKHOLE] = "blackhole", [RTN_UNREACHABLE] = "unreachable",
		[RTN_PROHIBIT] = "prohibit", [RTN_THROW] = "throw", [RTN_NAT] = "nat",
	};
	uint8_t m[16] = { 0 };
	unsigned bits = r->family == AF_INET ? 32 : 128;

	for (unsigned i = 0; i < r->dst_len && i < bits; i++)
		m[i / 8] |= 0x80 >> (i % 8);
	obj_begin();
	json_key_str("family", r->family == AF_INET ? "inet" : "inet6");
	json_key("dst");
	addr(r->family, r->dst);
	json_key_u64("dst_len", r->dst_len);
	json_key("genmask");
	addr(r->family, m);
	json_key("gateway");
	if (r->has_gw)
		addr(r->family, r->gw);
	else
		json_null();
	json_key_str("type", r->type < ARRAY_SIZE(types) ? types[r->type] : NULL);
	json_key_u64("table", r->table);
	json_key_u64("protocol", r->protocol);
	json_key_u64("scope", r->scope);
	json_key_u64("priority", r->priority);
	json_key_str("dev", r->oif ? sk_ifname(r->oif) : NULL);
	json_key("metrics");	/* RTAX_*, 0 when unset */
	json_obj_begin();
	json_key_u64("mtu", r->mtu);
	json_key_u64("advmss", r->advmss);
	json_key_u64("window", r->window);
	json_key_u64("rtt", r->rtt);
	json_obj_end();
	obj_end();
}

/* IFF_* by bit number, lower-cased */
static const char iff_names[] = "up\0broadcast\0debug\0loopback\0pointopoint\0"
	"notrailers\0running\0noarp\0promisc\0allmulti\0master\0slave\0multicast\0"
	"portsel\0automedia\0dynamic\0";	/* ends with an empty name */

/* struct rtnl_link_stats64's names for struct sk_link's counters */
#define STATS(X) X(rx_packets) X(tx_packets) X(rx_bytes) X(tx_bytes) \
	X(rx_errors) X(tx_errors) X(rx_dropped) X(tx_dropped) X(rx_fifo_errors) \
	X(tx_fifo_errors) X(rx_missed_errors) X(rx_frame_errors) X(rx_crc_errors) \
	X(rx_length_errors) X(rx_over_errors) X(collisions) X(tx_carrier_errors)
#define SNAME(f) #f "\0"
#define SOFF(f) offsetof(struct sk_link, f),
static const char stat_names[] = STATS(SNAME);
static const uint8_t stat_off[] = { STATS(SOFF) };

void ns_json_link(const struct sk_link *l)
{
	const char *name = iff_names;

	obj_begin();
	json_key("ifname");
	json_strn(l->name, strnlen(l->name, sizeof(l->name)));
	json_key_u64("ifindex", l->ifindex);
	json_key_u64("mtu", l->mtu);
	json_key("flags");
	json_arr_begin();
	for (unsigned bit = 0; *name; bit++, name += strlen(name) + 1)
		if (l->flags & (1u << bit))
			json_str(name);
	json_arr_end();
	json_key("stats64");
	json_obj_begin();
	name = stat_names;
	for (size_t i = 0; i < sizeof(stat_off); i++, name += strlen(name) + 1) {
		uint64_t v;
		memcpy(&v, (const char *)l + stat_off[i], 8);
		json_key(name);
		json_u64(v);
	}
	json_obj_end();
	obj_end();
}

void ns_json_group(const char *dev, unsigned users, int family, const uint8_t *a)
{
	obj_begin();
	json_key_str("ifname", dev);
	json_key_str("family", family == AF_INET ? "inet" : "inet6");
	json_key("group");
	addr(family, a);
	json_key_u64("users", users);
	obj_end();
}

/* -s: the kernel's counters by their own names, one object per table
 * ("Tcp", "TcpExt", ...; snmp6's "Ip6", "Icmp6", ... by name prefix). */
struct stats_ctx {
	char table[24];
	int open;
};

static void table_begin(struct stats_ctx *c, const char *table, size_t n)
{
	if (c->open) {
		json_obj_end();
		obj_end();
	}
	obj_begin();
	json_key("table");
	json_strn(table, n);
	json_key("counters");
	json_obj_begin();
	memcpy(c->table, table, n);
	c->table[n] = 0;
	c->open = 1;
}

static int stats_cb(const char *table, const char *name, uint64_t v, void *arg)
{
	struct stats_ctx *c = arg;

	if (!name) {
		table_begin(c, table, strnlen(table, sizeof(c->table) - 1));
		return 0;
	}
	/* names are the kernel's identifiers; anything else is not a counter */
	if (name[strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")])
		return 0;
	if (!table) {	/* "Ip6InReceives": the table ends at the 6 */
		const char *six = strchr(name, '6');
		size_t n = six ? (size_t)(six - name + 1) : 0;
		if (n >= sizeof(c->table))
			n = 0;
		if (!c->open || strlen(c->table) != n || memcmp(c->table, name, n))
			table_begin(c, name, n);
	}
	json_key(name);
	json_u64(v);
	return 0;
}

int ns_json_statistics(int v6)
{
	static const char *const v4[] = { "net/snmp", "net/netstat" };
	struct stats_ctx c = { .open = 0 };
	int rc = 0;

	ns_json_begin();
	if (v6)
		rc = sk_snmp_read("net/snmp6", 0, stats_cb, &c);
	for (size_t i = 0; !v6 && !rc && i < ARRAY_SIZE(v4); i++)
		rc = sk_snmp_read(v4[i], 1, stats_cb, &c);
	if (c.open) {
		json_obj_end();
		obj_end();
	}
	ns_json_end();
	if (rc < 0)
		sb_warn("cannot read the kernel's counters: %s", strerror(-rc));
	return rc < 0;
}
