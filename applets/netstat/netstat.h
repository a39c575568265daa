/* netstat applet internals. */
#ifndef NETSTAT_H
#define NETSTAT_H

#include <stdint.h>

struct netstat_opts {
	int numeric_hosts, numeric_ports, numeric_users;
	int extend, programs, timers, wide, verbose, all, listening;
	int inet, inet6;
	int cache, fib, symbolic;	/* -C, -F, -N */
	int json;		/* NS_JSON_* */
};
enum { NS_JSON_OFF, NS_JSON_ARRAY, NS_JSON_LINES };
/* --json given: constant 0 without CONFIG_JSON, so its code is dropped */
#define NS_JSON (IS_ENABLED(CONFIG_JSON) && ns.json)
extern struct netstat_opts ns;

/* Host text as net-tools shows it: numeric, or resolved (cached). */
const char *ns_host(int family, const uint8_t *addr, char *buf);

int ns_routes(int family);
int ns_interfaces(int round);
int ns_groups(void);
/* -s: v6 reads snmp6; the flags choose sections as -t -u -w (sctp: none given) */
int ns_statistics(int v6, int tcp, int udp, int raw, int sctp);

/* --json (json.c): one array per table, or one object per line. */
struct sock_rec;
struct sk_unix_line;
struct sk_route;
struct sk_link;
struct procmap;
void ns_json_begin(void);
void ns_json_end(void);
void ns_json_inet(const struct sock_rec *r, struct procmap *pm);
void ns_json_unix(const struct sk_unix_line *u, struct procmap *pm);
void ns_json_route(const struct sk_route *r);
void ns_json_link(const struct sk_link *l);
void ns_json_group(const char *dev, unsigned users, int family, const uint8_t *addr);
int ns_json_statistics(int v6);

#endif
