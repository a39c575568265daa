/* netstat: net-tools netstat — sockets, -r routes, -i interfaces,
 * -g groups — from libsock (netlink dumps, the process map), printed in
 * net-tools 2.10's formats. */
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sockbox.h"
#include "libsock/fmt.h"
#include "libsock/out.h"
#include "libsock/procmap.h"
#include "libsock/sock.h"
#include "netstat.h"

struct netstat_opts ns;
static struct procmap *pm;

/* --- names ------------------------------------------------------------------ */

const char *ns_host(int family, const uint8_t *a, char *buf)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	static const uint8_t any[16];
	static struct {
		uint8_t family, addr[16];
		char name[64];
	} cache[32];
	static unsigned next;

	if (family == AF_INET6 && !memcmp(a, mapped, 12))	/* numeric IPv4 */
		return fmt_ip4(buf, a + 12), buf;
	if (family == AF_INET6 && !memcmp(a, any, 16)) {
		strcpy(buf, ns.numeric_hosts ? "::" : "[::]");
		return buf;
	}
	if (family == AF_INET ? !memcmp(a, any, 4) : 0) {
		strcpy(buf, "0.0.0.0");
		return buf;
	}
	if (family == AF_INET)
		fmt_ip4(buf, a);
	else
		fmt_ip6(buf, a);
	if (ns.numeric_hosts || !IS_ENABLED(CONFIG_RESOLVE))
		return buf;
	for (unsigned i = 0; i < ARRAY_SIZE(cache); i++)
		if (cache[i].family == family && !memcmp(cache[i].addr, a, family == AF_INET ? 4 : 16))
			return cache[i].name[0] ? cache[i].name : buf;
	union {
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
	} sa;
	memset(&sa, 0, sizeof(sa));
	if (family == AF_INET) {
		sa.in.sin_family = AF_INET;
		memcpy(&sa.in.sin_addr, a, 4);
	} else {
		sa.in6.sin6_family = AF_INET6;
		memcpy(&sa.in6.sin6_addr, a, 16);
	}
	unsigned slot = next++ % ARRAY_SIZE(cache);
	cache[slot].family = family;
	memcpy(cache[slot].addr, a, family == AF_INET ? 4 : 16);
	cache[slot].name[0] = 0;
	if (!getnameinfo((struct sockaddr *)&sa, family == AF_INET ? sizeof(sa.in) : sizeof(sa.in6),
			 cache[slot].name, sizeof(cache[slot].name), NULL, 0, NI_NAMEREQD)) {
		/* a name from DNS is not trusted to be printable */
		char safe[4 * sizeof(cache[slot].name)];
		size_t n = fmt_safe(safe, cache[slot].name, strlen(cache[slot].name));
		if (n >= sizeof(cache[slot].name))
			n = sizeof(cache[slot].name) - 1;
		memcpy(cache[slot].name, safe, n);
		cache[slot].name[n] = 0;
	}
	return cache[slot].name[0] ? cache[slot].name : buf;
}

static const char *port_name(uint16_t port, const char *proto, char *buf)
{
	const char *name;

	if (!port)
		return "*";
	if (!ns.numeric_ports && (name = sk_service_name(port, proto)))
		return name;
	fmt_u64(buf, port);
	return buf;
}

/* host:port in 23 columns: without -W a long host is cut so the port
 * stays whole (a port longer than 18 is cut too). */
static void addr_col(int family, const uint8_t *a, uint16_t port, const char *proto)
{
	char host[128], pbuf[24], out[160];
	const char *h = ns_host(family, a, host), *p = port_name(port, proto, pbuf);
	size_t hl = strlen(h), pl = strlen(p);

	if (!ns.wide && hl + pl > 22) {
		if (pl > 18)
			pl = 18;
		hl = 22 - pl;
	}
	memcpy(out, h, hl);
	out[hl] = ':';
	memcpy(out + hl + 1, p, pl);
	out[hl + 1 + pl] = 0;
	out_str(out);
	if (hl + 1 + pl < 23)
		out_spaces(23 - (hl + 1 + pl));
}

static void pad_num(uint64_t v, int width, int left)
{
	char buf[24];
	size_t n = fmt_u64(buf, v);

	if (!left && (int)n < width)
		out_spaces(width - n);
	out_write(buf, n);
	if (left && (int)n < width)
		out_spaces(width - n);
}

static void pad_str(const char *s, int width)
{
	size_t n = strlen(s);

	out_write(s, n);
	if ((int)n < width)
		out_spaces(width - n);
}

/* " PID/Program name" (cut at 19, as net-tools' 20-byte buffer) or "-". */
static void program_col(uint32_t ino, int width)
{
	char buf[64] = "-";
	size_t n;
	const struct sk_owner *o = ino ? procmap_find(pm, ino, &n) : NULL;

	if (o && n) {
		const struct sk_owner *first = &o[n - 1];	/* first scanned */
		size_t k = fmt_u64(buf, first->proc->pid);
		buf[k++] = '/';
		snprintf(buf + k, sizeof(buf) - k, "%s", procmap_cmd(pm, first->proc));
	}
	buf[19] = 0;
	out_char(' ');
	pad_str(buf, width);
}

/* "name (secs/retrans/probes)": seconds with two decimals. */
static void timer_col(const struct sock_rec *r)
{
	static const char *const names[] = { "off", "on", "keepalive", "timewait", "probe" };
	uint32_t hundredths = r->expires_ms / 10;
	char buf[64];
	int k;

	if (r->timer < ARRAY_SIZE(names))
		k = snprintf(buf, sizeof(buf), " %s (", names[r->timer]);
	else
		k = snprintf(buf, sizeof(buf), " unkn-%u (", r->timer);
	if (!r->timer)
		hundredths = 0;
	snprintf(buf + k, sizeof(buf) - k, "%u.%02u/%u/%u)", hundredths / 100, hundredths % 100,
		 r->timer == 1 ? r->retrans : 0, r->timer == 2 || r->timer == 4 ? r->retrans : 0);
	out_str(buf);
}

/* --- sockets ---------------------------------------------------------------- */

static const char *const tcp_states[SK_STATE_MAX] = {
	[SK_ESTABLISHED] = "ESTABLISHED", [SK_SYN_SENT] = "SYN_SENT",
	[SK_SYN_RECV] = "SYN_RECV", [SK_FIN_WAIT1] = "FIN_WAIT1",
	[SK_FIN_WAIT2] = "FIN_WAIT2", [SK_TIME_WAIT] = "TIME_WAIT",
	[SK_CLOSE] = "CLOSE", [SK_CLOSE_WAIT] = "CLOSE_WAIT",
	[SK_LAST_ACK] = "LAST_ACK", [SK_LISTEN] = "LISTEN", [SK_CLOSING] = "CLOSING",
};

static int inet_row(const struct sock_rec *r, void *arg)
{
	static const uint8_t zero[16];
	int listening = r->table == SKT_TCP ? !r->rport : !memcmp(r->raddr, zero, 16);
	int v6 = r->family == AF_INET6;
	const char *proto;

	if (!ns.all && (ns.listening ? !listening : listening))
		return 0;
	if (NS_JSON) {
		ns_json_inet(r, pm);
		return 0;
	}
	switch (r->table) {
	case SKT_TCP: proto = v6 ? "tcp6 " : "tcp  "; break;
	case SKT_UDP: proto = v6 ? "udp6 " : "udp  "; break;
	default: proto = v6 ? "raw6 " : "raw  "; break;
	}
	out_str(proto);
	out_char(' ');
	pad_num(r->rqueue, 6, 0);
	out_char(' ');
	/* /proc/net/tcp shows no backlog for listeners, so neither does netstat */
	pad_num(r->state == SK_LISTEN ? 0 : r->wqueue, 6, 0);
	out_char(' ');
	const char *pn = r->table == SKT_TCP ? "tcp" : r->table == SKT_UDP ? "udp" : "raw";
	addr_col(r->family, r->laddr, r->lport, pn);
	out_char(' ');
	addr_col(r->family, r->raddr, r->rport, pn);
	out_char(' ');
	if (r->table == SKT_TCP) {
		pad_str(r->state < SK_STATE_MAX && tcp_states[r->state] ? tcp_states[r->state] : "UNKNOWN", 11);
	} else if (r->table == SKT_UDP) {
		pad_str(r->state == SK_ESTABLISHED ? "ESTABLISHED" : r->state == SK_CLOSE ? "" : "UNKNOWN", 11);
	} else {
		pad_num(r->state, 11, 1);	/* raw: the number */
	}
	if (ns.extend) {
		out_char(' ');
		pad_str(sk_user_name(r->uid, ns.numeric_users), 10);
		out_char(' ');
		pad_num(r->ino, 10, 1);
	}
	if (ns.programs)
		program_col(r->ino, 20);
	if (ns.timers)
		timer_col(r);
	out_char('\n');
	return 0;
}

static int unix_row(const struct sk_unix_line *u, void *arg)
{
	static const char *const types[] = { "", "STREAM", "DGRAM", "RAW", "RDM", "SEQPACKET" };
	static const char *const states[] = { "FREE", "", "CONNECTING", "CONNECTED", "DISCONNECTING" };
	int acc = u->flags & (1u << 16);
	int listening = u->state == 1 && acc;
	char flags[16] = "[ ";

	if (!ns.all && (ns.listening ? !listening : listening))
		return 0;
	if (NS_JSON) {
		ns_json_unix(u, pm);
		return 0;
	}
	if (acc)
		strcat(flags, "ACC ");
	if (u->flags & (1u << 17))
		strcat(flags, "W ");
	if (u->flags & (1u << 18))
		strcat(flags, "N ");
	strcat(flags, "]");
	out_str("unix  ");
	pad_num(u->refcnt, 6, 1);
	out_char(' ');
	pad_str(flags, 11);
	out_char(' ');
	pad_str(u->type >= 1 && u->type <= 5 ? types[u->type] : "UNKNOWN", 10);
	out_char(' ');
	pad_str(listening ? "LISTENING" : u->state <= 4 ? states[u->state] : "UNKNOWN", 13);
	out_char(' ');
	pad_num(u->ino, 8, 1);
	if (ns.programs)
		program_col(u->ino, 20);
	out_char(' ');
	char safe[4 * 512];
	size_t n = u->path_len < 512 ? u->path_len : 512;
	out_write(safe, fmt_safe(safe, u->path, n));
	out_char('\n');
	return 0;
}

static const char *section_title(void)
{
	return ns.all ? "(servers and established)" : ns.listening ? "(only servers)" : "(w/o servers)";
}

struct selection {
	int tcp, udp, raw, unix_;
};

static int show_sockets(const struct selection *s)
{
	if (NS_JSON)	/* inet and unix sockets: one table */
		ns_json_begin();
	if (s->tcp || s->udp || s->raw) {
		if (!NS_JSON) {
			out_str("Active Internet connections ");
			out_str(section_title());
			out_str("\nProto Recv-Q Send-Q Local Address           Foreign Address         State      ");
			if (ns.extend)
				out_str(" User       Inode     ");
			if (ns.programs)
				out_str(" PID/Program name    ");
			if (ns.timers)
				out_str(" Timer");
			out_char('\n');
		}
		struct sock_query q = { .states = SK_ST_ALL,
			.families = (ns.inet ? SKQ_V4 : 0) | (ns.inet6 ? SKQ_V6 : 0) };
		q.proc_families = q.families;
		/* net-tools' order: tcp, udp, raw; each IPv4 then IPv6 */
		static const unsigned order[] = { SKT_TCP, SKT_UDP, SKT_RAW };
		const int want[] = { s->tcp, s->udp, s->raw };
		for (int i = 0; i < 3; i++) {
			if (!want[i] || !(sk_tables_enabled() & SKT_BIT(order[i])))
				continue;
			q.tables = SKT_BIT(order[i]);
			if (sock_dump(&q, inet_row, NULL) < 0)
				return 1;
		}
	}
	if (s->unix_) {
		if (!NS_JSON) {
			out_str("Active UNIX domain sockets ");
			out_str(section_title());
			out_str(ns.programs ? "\nProto RefCnt Flags       Type       State         I-Node   PID/Program name     Path\n"
					    : "\nProto RefCnt Flags       Type       State         I-Node   Path\n");
		}
		int rc = sk_proc_unix_each(unix_row, NULL);
		if (rc < 0 && ns.verbose)
			sb_warn("no support for `AF UNIX' on this system.");
	}
	if (NS_JSON)
		ns_json_end();
	out_flush();
	return 0;
}

/* --- options ------------------------------------------------------------------ */

static void usage(FILE *f)
{
	fputs("usage: netstat [-vWeenNac] {-t|-u|-w|-x} [--inet|--inet6|--unix]\n"
	      "       netstat [-vWnNcaeol] [<Socket> ...]\n"
	      "       netstat { [-vWeenNac] -i | [-cnNe] -r | -g }\n"
	      "\n"
	      "        -r, --route              display routing table\n"
	      "        -i, --interfaces         display interface table\n"
	      "        -g, --groups             display multicast group memberships\n"
	      "        -v, --verbose            be verbose\n"
	      "        -W, --wide               don't truncate IP addresses\n"
	      "        -n, --numeric            don't resolve names\n"
	      "        --numeric-hosts          don't resolve host names\n"
	      "        --numeric-ports          don't resolve port names\n"
	      "        --numeric-users          don't resolve user names\n"
	      "        -N, --symbolic           resolve hardware names\n"
	      "        -e, --extend             display other/more information\n"
	      "        -p, --programs           display PID/Program name for sockets\n"
	      "        -o, --timers             display timers\n"
	      "        -c, --continuous         continuous listing\n"
	      "        --json[=lines]           JSON: an array per table, or an object per line\n"
	      "\n"
	      "        -l, --listening          display listening server sockets\n"
	      "        -a, --all                display all sockets (default: connected)\n"
	      "\n"
	      "  <Socket>={-t|--tcp} {-u|--udp} {-w|--raw} {-x|--unix}\n"
	      "  <AF>=Use '-6|-4' or '-A <af>' or '--<af>'; default: inet,inet6,unix\n", f);
}

enum { OPT_NUM_HOSTS = 256, OPT_NUM_PORTS, OPT_NUM_USERS, OPT_INET, OPT_INET6, OPT_UNIX,
	OPT_JSON };

int netstat_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "route", 0, 0, 'r' }, { "interfaces", 0, 0, 'i' }, { "groups", 0, 0, 'g' },
		{ "statistics", 0, 0, 's' }, { "masquerade", 0, 0, 'M' },
		{ "protocol", 1, 0, 'A' }, { "tcp", 0, 0, 't' }, { "udp", 0, 0, 'u' },
		{ "raw", 0, 0, 'w' }, { "unix", 0, 0, 'x' }, { "listening", 0, 0, 'l' },
		{ "all", 0, 0, 'a' }, { "timers", 0, 0, 'o' }, { "continuous", 0, 0, 'c' },
		{ "extend", 0, 0, 'e' }, { "programs", 0, 0, 'p' }, { "verbose", 0, 0, 'v' },
		{ "version", 0, 0, 'V' }, { "help", 0, 0, 'h' }, { "wide", 0, 0, 'W' },
		{ "numeric", 0, 0, 'n' }, { "numeric-hosts", 0, 0, OPT_NUM_HOSTS },
		{ "numeric-ports", 0, 0, OPT_NUM_PORTS }, { "numeric-users", 0, 0, OPT_NUM_USERS },
		{ "symbolic", 0, 0, 'N' }, { "context", 0, 0, 'Z' },
		{ "inet", 0, 0, OPT_INET }, { "ip", 0, 0, OPT_INET }, { "tcpip", 0, 0, OPT_INET },
		{ "inet6", 0, 0, OPT_INET6 }, { "unix", 0, 0, OPT_UNIX },
		{ "json", 2, 0, OPT_JSON },
		{ 0 }
	};
	struct selection sel = { 0 };
	int route = 0, ifaces = 0, groups = 0, stats = 0, masq = 0, cont = 0, ch;
	int af_inet = 0, af_inet6 = 0, af_unix = 0, any_af = 0;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, "A:CFMacdeghilnNoprsStuUvVWw2fx64Z",
				 longopts, NULL)) != -1) {
		switch (ch) {
		case 'r': route = 1; break;
		case 'i': ifaces = 1; break;
		case 'g': groups = 1; break;
		case 's': stats = 1; break;
		case 'M': masq = 1; break;
		case 't': sel.tcp = 1; break;
		case 'u': sel.udp = 1; break;
		case 'w': sel.raw = 1; break;
		case 'x': af_unix = any_af = 1; break;
		case 'l': ns.listening = 1; break;
		case 'a': ns.all = 1; break;
		case 'o': ns.timers = 1; break;
		case 'c': cont = 1; break;
		case 'e': ns.extend++; break;
		case 'p': ns.programs = 1; break;
		case 'v': ns.verbose = 1; break;
		case 'W': ns.wide = 1; break;
		case 'n': ns.numeric_hosts = ns.numeric_ports = ns.numeric_users = 1; break;
		case OPT_NUM_HOSTS: ns.numeric_hosts = 1; break;
		case OPT_NUM_PORTS: ns.numeric_ports = 1; break;
		case OPT_NUM_USERS: ns.numeric_users = 1; break;
		case 'N': case 'C': case 'F': case 'd': break;
		case '4': case OPT_INET: af_inet = any_af = 1; break;
		case '6': case OPT_INET6: af_inet6 = any_af = 1; break;
		case OPT_UNIX: af_unix = any_af = 1; break;
		case OPT_JSON:
			if (!IS_ENABLED(CONFIG_JSON))
				sb_die(3, "--json is not enabled in this build");
			if (!optarg || !strcmp(optarg, "array"))
				ns.json = NS_JSON_ARRAY;
			else if (!strcmp(optarg, "lines"))
				ns.json = NS_JSON_LINES;
			else
				sb_die(3, "--json takes 'array' or 'lines', not '%s'", optarg);
			break;
		case 'A': {
			char *copy = strdup(optarg), *save = NULL, *p;
			for (p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
				if (!strcmp(p, "inet"))
					af_inet = 1;
				else if (!strcmp(p, "inet6"))
					af_inet6 = 1;
				else if (!strcmp(p, "unix"))
					af_unix = 1;
				else
					sb_die(3, "unknown or unsupported address family '%s'", p);
			}
			free(copy);
			any_af = 1;
			break;
		}
		case 'Z':
			sb_die(1, "SELinux is not enabled on this machine.");
		case 'V':
			out_str("net-tools 2.10 (sockbox " SOCKBOX_VERSION ")\n");
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		case 'U': case 'S': case '2': case 'f':
			sb_die(1, "option -%c: protocol not supported in this build", ch);
		default:
			if (optopt)
				sb_die(3, "invalid option -- '%c' (try 'netstat -h')", optopt);
			sb_die(3, "unrecognized option '%s' (try 'netstat -h')", argv[optind - 1]);
		}
	}
	if (route + ifaces + stats + masq + groups > 1)
		sb_die(3, "-r, -i, -g, -s and -M are mutually exclusive");
	if (masq)
		sb_die(1, "no support for `ip_masquerade' on this system.");
	if (stats && !IS_ENABLED(CONFIG_NETSTAT_STATS))
		sb_die(1, "-s is not enabled in this build");
	if (stats && !NS_JSON)
		sb_die(1, "-s is not available in this build yet (but with --json)");
	if (!any_af && !(sel.tcp || sel.udp || sel.raw))
		af_inet = af_inet6 = af_unix = 1;
	if ((af_inet || af_inet6) && !(sel.tcp || sel.udp || sel.raw))
		sel.tcp = sel.udp = sel.raw = 1;
	if ((sel.tcp || sel.udp || sel.raw) && !(af_inet || af_inet6))
		af_inet = af_inet6 = 1;
	ns.inet = af_inet;
	ns.inet6 = af_inet6;
	if (!af_inet && !af_inet6)
		sel.tcp = sel.udp = sel.raw = 0;
	sel.unix_ = af_unix && !route && !ifaces && !groups;

	if (route && !af_inet && !af_inet6)
		af_inet = 1;
	for (;;) {
		int rc;
		if (route)
			rc = ns_routes(af_inet6 && !af_inet ? AF_INET6 : AF_INET);
		else if (ifaces)
			rc = ns_interfaces();
		else if (groups)
			rc = ns_groups();
		else if (stats)
			rc = ns_json_statistics(af_inet6 && !af_inet);
		else {
			if (ns.programs && !pm) {
				if (!IS_ENABLED(CONFIG_PROCESSES))
					sb_die(1, "-p is not enabled in this build");
				pm = procmap_build(0);
				if (!pm)
					sb_die(1, "-p needs /proc (is it mounted?): %s", strerror(errno));
				if (procmap_incomplete(pm))
					fputs("(Not all processes could be identified, non-owned process info\n"
					      " will not be shown, you would have to be root to see it all.)\n",
					      stderr);
			}
			rc = show_sockets(&sel);
		}
		out_flush();
		if (!cont || rc)
			return rc;
		sleep(1);
		if (pm) {	/* processes come and go between rounds */
			procmap_free(pm);
			pm = procmap_build(0);
			if (!pm)
				sb_die(1, "-p needs /proc (is it mounted?): %s", strerror(errno));
		}
	}
}
