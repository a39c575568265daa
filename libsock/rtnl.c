/* rtnetlink: RTM_GETLINK with IFLA_STATS64 for interface tables,
 * RTM_GETADDR for their IPv4 addresses, RTM_GETROUTE for routing
 * tables; parsed into plain structs. */
#include <errno.h>
#include <string.h>
#include <net/if.h>
#include <sys/socket.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "libsock/nl.h"
#include "libsock/rtnl.h"

struct link_ctx {
	int (*cb)(const struct sk_link *, void *);
	void *arg;
};

static int link_msg(const struct nlmsghdr *h, void *arg)
{
	struct link_ctx *c = arg;
	const struct ifinfomsg *ifi = NLMSG_DATA(h);
	const void *tb[IFLA_MAX + 1];
	uint16_t tl[IFLA_MAX + 1];
	struct sk_link l;

	if (h->nlmsg_type != RTM_NEWLINK || h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)))
		return 0;
	nl_attr_parse(ifi + 1, h->nlmsg_len - NLMSG_LENGTH(sizeof(*ifi)), tb, tl, IFLA_MAX);
	memset(&l, 0, sizeof(l));
	l.ifindex = ifi->ifi_index;
	l.flags = ifi->ifi_flags;
	if (tb[IFLA_IFNAME]) {
		size_t n = strnlen(tb[IFLA_IFNAME], tl[IFLA_IFNAME]);
		memcpy(l.name, tb[IFLA_IFNAME], n < sizeof(l.name) - 1 ? n : sizeof(l.name) - 1);
	}
	if (tb[IFLA_MTU] && tl[IFLA_MTU] >= 4)
		memcpy(&l.mtu, tb[IFLA_MTU], 4);
	if (tb[IFLA_TXQLEN] && tl[IFLA_TXQLEN] >= 4)
		memcpy(&l.txqlen, tb[IFLA_TXQLEN], 4);
	l.type = ifi->ifi_type;
	if (tb[IFLA_ADDRESS]) {
		l.addr_len = tl[IFLA_ADDRESS] < sizeof(l.addr) ? tl[IFLA_ADDRESS] : sizeof(l.addr);
		memcpy(l.addr, tb[IFLA_ADDRESS], l.addr_len);
	}
	if (tb[IFLA_STATS64] && tl[IFLA_STATS64] >= sizeof(struct rtnl_link_stats64)) {
		struct rtnl_link_stats64 s;
		memcpy(&s, tb[IFLA_STATS64], sizeof(s));
		l.rx_packets = s.rx_packets;
		l.tx_packets = s.tx_packets;
		l.rx_bytes = s.rx_bytes;
		l.tx_bytes = s.tx_bytes;
		l.rx_errors = s.rx_errors;
		l.tx_errors = s.tx_errors;
		l.rx_dropped = s.rx_dropped;
		l.tx_dropped = s.tx_dropped;
		l.rx_fifo_errors = s.rx_fifo_errors;
		l.tx_fifo_errors = s.tx_fifo_errors;
		l.rx_missed_errors = s.rx_missed_errors;
		l.rx_frame_errors = s.rx_frame_errors;
		l.rx_crc_errors = s.rx_crc_errors;
		l.rx_length_errors = s.rx_length_errors;
		l.rx_over_errors = s.rx_over_errors;
		l.collisions = s.collisions;
		l.tx_carrier_errors = s.tx_carrier_errors;
		l.tx_aborted_errors = s.tx_aborted_errors;
		l.tx_window_errors = s.tx_window_errors;
		l.tx_heartbeat_errors = s.tx_heartbeat_errors;
	}
	return c->cb(&l, c->arg);
}

static int rtnl_dump(struct nlmsghdr *req, int (*msg)(const struct nlmsghdr *, void *), void *arg)
{
	struct nl_sock nl;
	int intr = 0, rc = nl_open(&nl, NETLINK_ROUTE);

	if (rc)
		return rc;
	rc = nl_send(&nl, req);
	if (!rc)
		rc = nl_recv_dump(&nl, msg, arg, &intr);
	nl_close(&nl);
	return rc;
}

int sk_link_dump(int (*cb)(const struct sk_link *, void *), void *arg)
{
	struct {
		struct nlmsghdr nlh;
		struct ifinfomsg ifi;
	} req = {
		.nlh = { sizeof(req), RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 0, 0 },
		.ifi = { .ifi_family = AF_UNSPEC },
	};
	struct link_ctx c = { cb, arg };

	return rtnl_dump(&req.nlh, link_msg, &c);
}

struct addr_ctx {
	int (*cb)(const struct sk_addr4 *, void *);
	void *arg;
};

static int addr_msg(const struct nlmsghdr *h, void *arg)
{
	struct addr_ctx *c = arg;
	const struct ifaddrmsg *ifa = NLMSG_DATA(h);
	const void *tb[IFA_MAX + 1];
	uint16_t tl[IFA_MAX + 1];
	struct sk_addr4 a;

	if (h->nlmsg_type != RTM_NEWADDR || h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifa)) ||
	    ifa->ifa_family != AF_INET)
		return 0;
	nl_attr_parse(ifa + 1, h->nlmsg_len - NLMSG_LENGTH(sizeof(*ifa)), tb, tl, IFA_MAX);
	memset(&a, 0, sizeof(a));
	a.ifindex = ifa->ifa_index;
	a.prefixlen = ifa->ifa_prefixlen;
	if (tb[IFA_LOCAL] && tl[IFA_LOCAL] >= 4)
		memcpy(a.local, tb[IFA_LOCAL], 4);
	if (tb[IFA_ADDRESS] && tl[IFA_ADDRESS] >= 4)
		memcpy(a.peer, tb[IFA_ADDRESS], 4);
	if (tb[IFA_BROADCAST] && tl[IFA_BROADCAST] >= 4)
		memcpy(a.broadcast, tb[IFA_BROADCAST], 4);
	if (tb[IFA_LABEL]) {
		size_t n = strnlen(tb[IFA_LABEL], tl[IFA_LABEL]);
		memcpy(a.label, tb[IFA_LABEL], n < sizeof(a.label) - 1 ? n : sizeof(a.label) - 1);
	}
	return c->cb(&a, c->arg);
}

int sk_addr4_dump(int (*cb)(const struct sk_addr4 *, void *), void *arg)
{
	struct {
		struct nlmsghdr nlh;
		struct ifaddrmsg ifa;
	} req = {
		.nlh = { sizeof(req), RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, 0, 0 },
		.ifa = { .ifa_family = AF_INET },
	};
	struct addr_ctx c = { cb, arg };

	return rtnl_dump(&req.nlh, addr_msg, &c);
}

struct route_ctx {
	int (*cb)(const struct sk_route *, void *);
	void *arg;
};

static uint32_t u32_at(const void *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static int route_msg(const struct nlmsghdr *h, void *arg)
{
	struct route_ctx *c = arg;
	const struct rtmsg *rtm = NLMSG_DATA(h);
	const void *tb[RTA_MAX + 1];
	uint16_t tl[RTA_MAX + 1];
	struct sk_route r;
	size_t alen;

	if (h->nlmsg_type != RTM_NEWROUTE || h->nlmsg_len < NLMSG_LENGTH(sizeof(*rtm)))
		return 0;
	nl_attr_parse(rtm + 1, h->nlmsg_len - NLMSG_LENGTH(sizeof(*rtm)), tb, tl, RTA_MAX);
	memset(&r, 0, sizeof(r));
	r.family = rtm->rtm_family;
	r.dst_len = rtm->rtm_dst_len;
	r.type = rtm->rtm_type;
	r.table = rtm->rtm_table;
	r.protocol = rtm->rtm_protocol;
	r.scope = rtm->rtm_scope;
	r.flags = rtm->rtm_flags;
	alen = r.family == AF_INET ? 4 : 16;
	if (tb[RTA_TABLE] && tl[RTA_TABLE] >= 4)
		r.table = u32_at(tb[RTA_TABLE]) > 255 ? 0 : u32_at(tb[RTA_TABLE]);
	if (tb[RTA_DST] && tl[RTA_DST] >= alen)
		memcpy(r.dst, tb[RTA_DST], alen);
	if (tb[RTA_GATEWAY] && tl[RTA_GATEWAY] >= alen) {
		memcpy(r.gw, tb[RTA_GATEWAY], alen);
		r.has_gw = 1;
	}
	if (tb[RTA_OIF] && tl[RTA_OIF] >= 4)
		r.oif = u32_at(tb[RTA_OIF]);
	if (tb[RTA_PRIORITY] && tl[RTA_PRIORITY] >= 4)
		r.priority = u32_at(tb[RTA_PRIORITY]);
	if (tb[RTA_METRICS]) {
		const void *mx[RTAX_MAX + 1];
		uint16_t ml[RTAX_MAX + 1];
		nl_attr_parse(tb[RTA_METRICS], tl[RTA_METRICS], mx, ml, RTAX_MAX);
		if (mx[RTAX_MTU] && ml[RTAX_MTU] >= 4)
			r.mtu = u32_at(mx[RTAX_MTU]);
		if (mx[RTAX_ADVMSS] && ml[RTAX_ADVMSS] >= 4)
			r.advmss = u32_at(mx[RTAX_ADVMSS]);
		if (mx[RTAX_WINDOW] && ml[RTAX_WINDOW] >= 4)
			r.window = u32_at(mx[RTAX_WINDOW]);
		if (mx[RTAX_RTT] && ml[RTAX_RTT] >= 4)
			r.rtt = u32_at(mx[RTAX_RTT]);
	}
	return c->cb(&r, c->arg);
}

int sk_route_dump(int family, int (*cb)(const struct sk_route *, void *), void *arg)
{
	struct {
		struct nlmsghdr nlh;
		struct rtmsg rtm;
	} req = {
		.nlh = { sizeof(req), RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, 0, 0 },
		.rtm = { .rtm_family = family },
	};
	struct route_ctx c = { cb, arg };

	return rtnl_dump(&req.nlh, route_msg, &c);
}
