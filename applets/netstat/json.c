/* netstat --json: sockets, routes, interfaces and groups through
 * libsock's JSON writer, the same rows the text shows. Socket objects are
 * ss's (docs/sockbox-json.schema.json) plus netstat's own columns. */
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
	json_key("name");
	json_str(procmap_cmd(pm, o[n - 1].proc));
	json_obj_end();
}

void ns_json_inet(const struct sock_rec *r, struct procmap *pm)
{
	obj_begin();
	sk_json_sock_fields(r);
	json_key("user");
	json_str(sk_user_name(r->uid, ns.numeric_users));
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
	json_key("netid");
	json_str(u->type < ARRAY_SIZE(netids) ? netids[u->type] : NULL);
	json_key("family");
	json_str("unix");
	json_key("state");
	json_str(listening ? "listening" : u->state < ARRAY_SIZE(states) ? states[u->state] : "unknown");
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
	json_key("inode");
	json_u64(u->ino);
	json_obj_end();
	json_key("peer");
	json_null();
	json_key("inode");
	json_u64(u->ino);
	json_key("uid");
	json_null();
	json_key("cookie");
	json_null();
	json_key("refcnt");
	json_u64(u->refcnt);
	json_key("flags");
	json_u64(u->flags);
	if (pm)
		programs(pm, u->ino);
	obj_end();
}

void ns_json_route(const struct sk_route *r)
{
	static const char *const types[] = {
		[RTN_UNICAST] = "unicast", [RTN_BLACKHOLE] = "blackhole",
		[RTN_UNREACHABLE] = "unreachable", [RTN_PROHIBIT] = "prohibit",
	};
	uint8_t m[16] = { 0 };
	unsigned bits = r->family == AF_INET ? 32 : 128;

	for (unsigned i = 0; i < r->dst_len && i < bits; i++)
		m[i / 8] |= 0x80 >> (i % 8);
	obj_begin();
	json_key("family");
	json_str(r->family == AF_INET ? "inet" : "inet6");
	json_key("dst");
	addr(r->family, r->dst);
	json_key("dst_len");
	json_u64(r->dst_len);
	json_key("genmask");
	addr(r->family, m);
	json_key("gateway");
	if (r->has_gw)
		addr(r->family, r->gw);
	else
		json_null();
	json_key("type");
	json_str(r->type < ARRAY_SIZE(types) ? types[r->type] : NULL);
	json_key("table");
	json_u64(r->table);
	json_key("protocol");
	json_u64(r->protocol);
	json_key("scope");
	json_u64(r->scope);
	json_key("priority");
	json_u64(r->priority);
	json_key("dev");
	json_str(r->oif ? sk_ifname(r->oif) : NULL);
	json_key("metrics");	/* RTAX_*, 0 when unset */
	json_obj_begin();
	json_key("mtu");
	json_u64(r->mtu);
	json_key("advmss");
	json_u64(r->advmss);
	json_key("window");
	json_u64(r->window);
	json_key("rtt");
	json_u64(r->rtt);
	json_obj_end();
	obj_end();
}

void ns_json_link(const struct sk_link *l)
{
	static const struct {
		uint32_t flag;
		const char *name;
	} names[] = {
		{ IFF_UP, "up" }, { IFF_BROADCAST, "broadcast" }, { IFF_DEBUG, "debug" },
		{ IFF_LOOPBACK, "loopback" }, { IFF_POINTOPOINT, "pointopoint" },
		{ IFF_NOTRAILERS, "notrailers" }, { IFF_RUNNING, "running" },
		{ IFF_NOARP, "noarp" }, { IFF_PROMISC, "promisc" },
		{ IFF_ALLMULTI, "allmulti" }, { IFF_MASTER, "master" }, { IFF_SLAVE, "slave" },
		{ IFF_MULTICAST, "multicast" }, { IFF_DYNAMIC, "dynamic" },
	};
	const struct {
		const char *name;
		uint64_t v;
	} stats[] = {
		{ "rx_packets", l->rx_packets }, { "tx_packets", l->tx_packets },
		{ "rx_bytes", l->rx_bytes }, { "tx_bytes", l->tx_bytes },
		{ "rx_errors", l->rx_errors }, { "tx_errors", l->tx_errors },
		{ "rx_dropped", l->rx_dropped }, { "tx_dropped", l->tx_dropped },
		{ "rx_fifo_errors", l->rx_fifo_errors }, { "tx_fifo_errors", l->tx_fifo_errors },
		{ "rx_missed_errors", l->rx_missed_errors }, { "rx_frame_errors", l->rx_frame_errors },
		{ "rx_crc_errors", l->rx_crc_errors }, { "rx_length_errors", l->rx_length_errors },
		{ "rx_over_errors", l->rx_over_errors }, { "collisions", l->collisions },
		{ "tx_carrier_errors", l->tx_carrier_errors },
	};

	obj_begin();
	json_key("ifname");
	json_strn(l->name, strnlen(l->name, sizeof(l->name)));
	json_key("ifindex");
	json_u64(l->ifindex);
	json_key("mtu");
	json_u64(l->mtu);
	json_key("flags");
	json_arr_begin();
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (l->flags & names[i].flag)
			json_str(names[i].name);
	json_arr_end();
	json_key("stats64");	/* struct rtnl_link_stats64's names */
	json_obj_begin();
	for (size_t i = 0; i < ARRAY_SIZE(stats); i++) {
		json_key(stats[i].name);
		json_u64(stats[i].v);
	}
	json_obj_end();
	obj_end();
}

void ns_json_group(const char *dev, unsigned users, int family, const uint8_t *a)
{
	obj_begin();
	json_key("ifname");
	json_str(dev);
	json_key("family");
	json_str(family == AF_INET ? "inet" : "inet6");
	json_key("group");
	addr(family, a);
	json_key("users");
	json_u64(users);
	obj_end();
}
