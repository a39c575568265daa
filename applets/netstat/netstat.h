/* netstat applet internals. */
#ifndef NETSTAT_H
#define NETSTAT_H

#include <stdint.h>

struct netstat_opts {
	int numeric_hosts, numeric_ports, numeric_users;
	int extend, programs, timers, wide, verbose, all, listening;
	int inet, inet6;
	int cache, fib, symbolic;	/* -C, -F, -N */
};
extern struct netstat_opts ns;

/* Host text as net-tools shows it: numeric, or resolved (cached). */
const char *ns_host(int family, const uint8_t *addr, char *buf);

int ns_routes(int family);
int ns_interfaces(int round);
int ns_groups(void);
/* -s: v6 reads snmp6; the flags choose sections as -t -u -w (sctp: none given) */
int ns_statistics(int v6, int tcp, int udp, int raw, int sctp);

#endif
