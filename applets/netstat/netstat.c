/* netstat: net-tools netstat — sockets, -r routes, -i interfaces,
 * -g groups — from libsock (netlink dumps, the process map), printed in
 * net-tools 2.10's formats. */
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <signal.h>
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
	const char *name = sk_host_name(family, a);	/* cached, made safe */
	return name ? name : buf;
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
		sb_snprintf(buf + k, sizeof(buf) - k, "%s", procmap_cmd(pm, first->proc));
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
		k = sb_snprintf(buf, sizeof(buf), " %s (", names[r->timer]);
	else
		k = sb_snprintf(buf, sizeof(buf), " unkn-%u (", r->timer);
	if (!r->timer)
		hundredths = 0;
	sb_snprintf(buf + k, sizeof(buf) - k, "%u.%02u/%u/%u)", hundredths / 100, hundredths % 100,
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
	if (ns.extend > 1) {
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
	if (s->tcp || s->udp || s->raw) {
		if (!NS_JSON) {
			out_str("Active Internet connections ");
			out_str(section_title());
			out_str("\nProto Recv-Q Send-Q Local Address           Foreign Address         State      ");
			if (ns.extend > 1)
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
	return 0;
}

static int show_unix(void)
{
	if (!NS_JSON) {
		out_str("Active UNIX domain sockets ");
		out_str(section_title());
		out_str(ns.programs ? "\nProto RefCnt Flags       Type       State         I-Node   PID/Program name     Path\n"
				    : "\nProto RefCnt Flags       Type       State         I-Node   Path\n");
	}
	if (sk_proc_unix_each(unix_row, NULL) < 0 && ns.verbose)
		sb_warn("no support for `AF UNIX' on this system.");
	return 0;
}

/* --- options ------------------------------------------------------------------ */

static void usage(void)
{
	out_str("usage: netstat [-vWeenNcCF] [<Af>] -r         netstat {-V|--version|-h|--help}\n"
		"       netstat [-vWnNcaeol] [<Socket> ...]\n"
		"       netstat { [-vWeenNac] -i | [-cnNe] -M | -s [-6tuw] }\n"
		"\n"
		"        -r, --route              display routing table\n"
		"        -i, --interfaces         display interface table\n"
		"        -g, --groups             display multicast group memberships\n"
		"        -s, --statistics         display networking statistics (like SNMP)\n"
		"        -M, --masquerade         display masqueraded connections\n"
		"\n"
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
		"\n"
		"        -l, --listening          display listening server sockets\n"
		"        -a, --all                display all sockets (default: connected)\n"
		"        -F, --fib                display Forwarding Information Base (default)\n"
		"        -C, --cache              display routing cache instead of FIB\n"
		"        -Z, --context            display SELinux security context for sockets\n"
		"\n"
		"  <Socket>={-t|--tcp} {-u|--udp} {-U|--udplite} {-S|--sctp} {-w|--raw}\n"
		"           {-x|--unix} --ax25 --ipx --netrom\n"
		"  <AF>=Use '-6|-4' or '-A <af>' or '--<af>'; default: inet\n"
		"  List of possible address families (which support routing):\n");
	sb_puts(STDERR_FILENO, "    inet (DARPA Internet) inet6 (IPv6) \n"
		"  sockbox: --json[=lines] prints any table as JSON (an array, or an object\n"
		"  per line); see netstat(8)\n");
}

enum { OPT_NUM_HOSTS = 256, OPT_NUM_PORTS, OPT_NUM_USERS, OPT_INET, OPT_INET6, OPT_UNIX,
	OPT_JSON };

/* net-tools' address family list ("-A inet,unix", -4, -6, --inet ...),
 * kept in the order given: -r and -s read it as a list of names. */
static char afname[64];
static int af_inet, af_inet6, af_unix;

static void af_add(const char *list)
{
	static const char *const alias[][2] = {
		{ "ip", "inet" }, { "ip6", "inet6" }, { "inet", "inet" }, { "inet6", "inet6" },
		{ "unix", "unix" }, { "tcpip", "inet" },
	};
	char buf[64], *save = NULL, *p;

	sb_snprintf(buf, sizeof(buf), "%s", list);
	for (p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		size_t i = 0;
		while (i < ARRAY_SIZE(alias) && strcmp(p, alias[i][0]))
			i++;
		if (i == ARRAY_SIZE(alias)) {
			sb_eprintf("Unknown address family `%s'.\n", p);
			exit(1);
		}
		const char *name = alias[i][1];
		if (strlen(afname) + strlen(name) + 2 > sizeof(afname))
			continue;
		*(name[0] == 'u' ? &af_unix : name[4] ? &af_inet6 : &af_inet) = 1;
		if (afname[0])
			strcat(afname, ",");
		strcat(afname, name);
	}
}

/* -r for each family of the list, in its order */
static int routes(void)
{
	char buf[64], *save = NULL, *p;

	sb_snprintf(buf, sizeof(buf), "%s", afname[0] ? afname : "inet");
	for (p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		if (!strcmp(p, "unix")) {
			sb_puts(STDERR_FILENO, "No routing for address family `unix'.\n");
			return 3;
		}
		int rc = ns_routes(strcmp(p, "inet") ? AF_INET6 : AF_INET);
		if (rc)
			return rc;
	}
	return 0;
}

static void load_procmap(void)
{
	if (!IS_ENABLED(CONFIG_PROCESSES))
		sb_die(1, "-p is not enabled in this build");
	pm = procmap_build(0);
	if (!pm)
		sb_die(1, "-p needs /proc (is it mounted?): %s", strerror(errno));
}

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
		{ "notrim", 0, 0, 'W' }, { "cache", 0, 0, 'C' }, { "fib", 0, 0, 'F' },
		{ "numeric", 0, 0, 'n' }, { "numeric-hosts", 0, 0, OPT_NUM_HOSTS },
		{ "numeric-ports", 0, 0, OPT_NUM_PORTS }, { "numeric-users", 0, 0, OPT_NUM_USERS },
		{ "symbolic", 0, 0, 'N' }, { "context", 0, 0, 'Z' },
		{ "inet", 0, 0, OPT_INET }, { "ip", 0, 0, OPT_INET }, { "tcpip", 0, 0, OPT_INET },
		{ "inet6", 0, 0, OPT_INET6 }, { "ip6", 0, 0, OPT_INET6 },
		{ "json", 2, 0, OPT_JSON },
		{ 0 }
	};
	struct selection sel = { 0 };
	int route = 0, ifaces = 0, groups = 0, stats = 0, masq = 0, cont = 0, noprot = 0, ch, rc;

	ns.extend = 1;		/* net-tools counts -e from 1 */
	while ((ch = sb_getopt_long(argc, argv, "A:CFMacdeghilnNoprsStuUvVWw2fx64Z",
				    longopts)) != -1) {
		switch (ch) {
		case 'r': route = 1; break;
		case 'i': ifaces = 1; break;
		case 'g': groups = 1; break;
		case 's': stats = 1; break;
		case 'M': masq = 1; break;
		case 't': sel.tcp = 1; break;
		case 'u': sel.udp = 1; break;
		case 'w': sel.raw = 1; break;
		case 'x': case OPT_UNIX: af_add("unix"); break;
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
		case OPT_JSON:
			if (!IS_ENABLED(CONFIG_JSON))
				sb_die(3, "--json is not enabled in this build");
			if (!sb_optarg || !strcmp(sb_optarg, "array"))
				ns.json = NS_JSON_ARRAY;
			else if (!strcmp(sb_optarg, "lines"))
				ns.json = NS_JSON_LINES;
			else
				sb_die(3, "--json takes 'array' or 'lines', not '%s'", sb_optarg);
			break;
		case 'C': ns.cache = 1; break;
		case 'N': ns.symbolic = 1; break;
		case 'F': ns.fib = 1; break;
		case 'd': break;
		case '4': case OPT_INET: af_add("inet"); break;
		case '6': case OPT_INET6: af_add("inet6"); break;
		case 'A': af_add(sb_optarg); break;
		case 'Z':	/* net-tools' words, without the applet prefix */
			sb_puts(STDERR_FILENO, "SELinux is not enabled on this machine.\n");
			return 1;
		case 'V':
			out_str("net-tools 2.10\nsockbox " SOCKBOX_VERSION " netstat\n"
				"AF: (inet) +UNIX +INET +INET6\n");
			out_flush();
			return 0;
		case 'h':
			usage();
			return 0;
		case 'U': case 'S': case '2': case 'f':
			sb_die(1, "option -%c: protocol not supported in this build", ch);
		default:
			if (sb_optopt)
				sb_die(3, "invalid option -- '%c' (try 'netstat -h')", sb_optopt);
			sb_die(3, "unrecognized option '%s' (try 'netstat -h')", argv[sb_optind - 1]);
		}
	}
	if (route + ifaces + stats + masq > 1)
		sb_die(3, "-r, -i, -s and -M are mutually exclusive (try 'netstat -h')");
	if ((af_inet || af_inet6 || stats) && !(sel.tcp || sel.udp || sel.raw))
		noprot = sel.tcp = sel.udp = sel.raw = 1;
	if ((sel.tcp || sel.udp || sel.raw || groups) && !(af_inet || af_inet6))
		af_inet = af_inet6 = 1;
	/* with nothing chosen every section shows */
	int any = sel.tcp || sel.udp || sel.raw || af_unix || groups;
	if (!any)
		sel.tcp = sel.udp = sel.raw = af_inet = af_inet6 = af_unix = 1;
	ns.inet = af_inet;
	ns.inet6 = af_inet6;
	sel.unix_ = af_unix;

	if (masq)
		sb_die(1, "no support for `ip_masquerade' on this system.");
	if (stats) {
		const char *af = afname[0] ? afname : "inet";
		if (!IS_ENABLED(CONFIG_NETSTAT_STATS))
			sb_die(1, "-s is not enabled in this build");
		if (strcmp(af, "inet") && strcmp(af, "inet6")) {
			out_str("netstat: No statistics support for specified address family: ");
			out_str(af);
			out_char('\n');
			out_flush();
			return 1;
		}
		if (NS_JSON)
			return ns_json_statistics(af[4] == '6');
		return ns_statistics(af[4] == '6', sel.tcp, sel.udp, sel.raw, noprot);
	}
	if (ns.programs && !route && !ifaces) {
		load_procmap();
		if (procmap_incomplete(pm))
			sb_puts(STDERR_FILENO, "(Not all processes could be identified, non-owned process info\n"
				" will not be shown, you would have to be root to see it all.)\n");
	}
	for (int round = 0;; round++) {
		if (route)
			rc = routes();
		else if (ifaces)
			rc = ns_interfaces(round);
		else if (NS_JSON && groups)	/* one JSON table: the groups */
			rc = ns_groups();
		else {
			if (NS_JSON)	/* inet and unix sockets: one JSON table */
				ns_json_begin();
			rc = show_sockets(&sel);
			if (!rc && groups)
				rc = ns_groups();
			if (!rc && sel.unix_)
				rc = show_unix();
			if (NS_JSON)
				ns_json_end();
		}
		out_flush();
		if (!cont || rc)
			return rc;
		sleep(1);
		if (pm) {	/* processes come and go between rounds */
			procmap_free(pm);
			load_procmap();
		}
	}
}
