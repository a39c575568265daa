/* ss: socket statistics, iproute2 compatible.
 *
 * Options become a struct sock_query (tables, states, address families)
 * exactly as iproute2 6.1 derives them; libsock dumps; print.c renders. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sockbox.h"
#include "libsock/filter.h"
#include "libsock/json.h"
#include "libsock/out.h"
#include "libsock/procmap.h"
#include "libsock/sock.h"
#include "ss.h"

struct ss_opts ss;

#define ST(s) SK_ST_BIT(SK_##s)
/* iproute2's state sets: "all" covers UNKNOWN..CLOSING. */
#define SS_ALL ((1u << SK_NEW_SYN_RECV) - 1)
#define SS_CONN (SS_ALL & ~(ST(LISTEN) | ST(CLOSE) | ST(TIME_WAIT) | ST(SYN_RECV)))
#define TIPC_SS_CONN (ST(ESTABLISHED) | ST(LISTEN) | ST(CLOSE))

/* Address families as selection bits (iproute2 keeps a family mask
 * beside the table mask; they complete each other at the end). */
enum { F_INET, F_INET6, F_UNIX, F_PACKET, F_NETLINK, F_VSOCK, F_TIPC, F_XDP, F_MAX };
#define FB(f) (1u << (f))

static const struct {
	uint32_t states;
	uint32_t fams;
} table_defaults[SKT_MAX] = {
	[SKT_TCP] = { SS_CONN, FB(F_INET) | FB(F_INET6) },
	[SKT_MPTCP] = { SS_CONN, FB(F_INET) | FB(F_INET6) },
	[SKT_DCCP] = { SS_CONN, FB(F_INET) | FB(F_INET6) },
	[SKT_SCTP] = { SS_CONN, FB(F_INET) | FB(F_INET6) },
	[SKT_UDP] = { ST(ESTABLISHED), FB(F_INET) | FB(F_INET6) },
	[SKT_RAW] = { ST(ESTABLISHED), FB(F_INET) | FB(F_INET6) },
	[SKT_UNIX_DGRAM] = { ST(CLOSE), FB(F_UNIX) },
	[SKT_UNIX_STREAM] = { SS_CONN, FB(F_UNIX) },
	[SKT_UNIX_SEQPACKET] = { SS_CONN, FB(F_UNIX) },
	[SKT_PACKET_RAW] = { ST(CLOSE), FB(F_PACKET) },
	[SKT_PACKET_DGRAM] = { ST(CLOSE), FB(F_PACKET) },
	[SKT_NETLINK] = { ST(CLOSE), FB(F_NETLINK) },
	[SKT_VSOCK_STREAM] = { SS_CONN, FB(F_VSOCK) },
	[SKT_VSOCK_DGRAM] = { SS_CONN, FB(F_VSOCK) },
	[SKT_TIPC] = { TIPC_SS_CONN, FB(F_TIPC) },
	[SKT_XDP] = { ST(CLOSE), FB(F_XDP) },
};

#define T(x) SKT_BIT(SKT_##x)
static const struct {
	uint32_t tables;
	uint32_t states;
} family_defaults[F_MAX] = {
	[F_INET] = { SKT_INET_ALL, SS_CONN },
	[F_INET6] = { SKT_INET_ALL, SS_CONN },
	[F_UNIX] = { SKT_UNIX_ALL, SS_CONN },
	[F_PACKET] = { SKT_PACKET_ALL, ST(CLOSE) },
	[F_NETLINK] = { T(NETLINK), ST(CLOSE) },
	[F_VSOCK] = { SKT_VSOCK_ALL, SS_CONN },
	[F_TIPC] = { T(TIPC), TIPC_SS_CONN },
	[F_XDP] = { T(XDP), ST(CLOSE) },
};

/* -A names; "all" leaves out TIPC as iproute2 does. */
static const struct {
	const char *name;
	uint32_t tables;
} query_names[] = {
	{ "all", T(UDP) | T(DCCP) | T(TCP) | T(MPTCP) | T(RAW) | SKT_UNIX_ALL |
		 SKT_PACKET_ALL | T(NETLINK) | T(SCTP) | SKT_VSOCK_ALL | T(XDP) },
	{ "inet", SKT_INET_ALL },
	{ "udp", T(UDP) }, { "dccp", T(DCCP) }, { "tcp", T(TCP) },
	{ "mptcp", T(MPTCP) }, { "sctp", T(SCTP) }, { "raw", T(RAW) },
	{ "unix", SKT_UNIX_ALL },
	{ "unix_stream", T(UNIX_STREAM) }, { "u_str", T(UNIX_STREAM) },
	{ "unix_dgram", T(UNIX_DGRAM) }, { "u_dgr", T(UNIX_DGRAM) },
	{ "unix_seqpacket", T(UNIX_SEQPACKET) }, { "u_seq", T(UNIX_SEQPACKET) },
	{ "packet", SKT_PACKET_ALL },
	{ "packet_raw", T(PACKET_RAW) }, { "p_raw", T(PACKET_RAW) },
	{ "packet_dgram", T(PACKET_DGRAM) }, { "p_dgr", T(PACKET_DGRAM) },
	{ "netlink", T(NETLINK) }, { "tipc", T(TIPC) },
	{ "vsock", SKT_VSOCK_ALL },
	{ "vsock_stream", T(VSOCK_STREAM) }, { "v_str", T(VSOCK_STREAM) },
	{ "vsock_dgram", T(VSOCK_DGRAM) }, { "v_dgr", T(VSOCK_DGRAM) },
	{ "xdp", T(XDP) },
};

static const struct {
	const char *name;
	int fam;
} family_names[] = {
	{ "inet", F_INET }, { "inet6", F_INET6 }, { "link", F_PACKET },
	{ "unix", F_UNIX }, { "netlink", F_NETLINK }, { "tipc", F_TIPC },
	{ "vsock", F_VSOCK }, { "xdp", F_XDP },
};


static struct {
	uint32_t tables, fams, states;
	int do_default;
	int preferred;		/* F_* of the last family option, or -1 */
} sel = { .do_default = 1, .preferred = -1 };

static void table_set(uint32_t tables, int enable)
{
	for (unsigned t = 0; t < SKT_MAX; t++) {
		if (!(tables & SKT_BIT(t)))
			continue;
		if (enable) {
			sel.states |= table_defaults[t].states;
			sel.tables |= SKT_BIT(t);
		} else {
			sel.tables &= ~SKT_BIT(t);
		}
	}
	sel.do_default = 0;
}

static void details_enabled(const char *opt)
{
	if (!IS_ENABLED(CONFIG_SS_DETAILS))
		sb_die(1, "%s is not enabled in this build", opt);
}

/* Asking for a table this build left out is an error, never an empty
 * table; "all" and families quietly skip what is not built in. */
static void require_tables(uint32_t tables, const char *what)
{
	if ((tables & sk_tables_enabled()) != tables)
		sb_die(1, "%s sockets are not enabled in this build", what);
}

static void family_set(int fam)
{
	if (fam == F_INET6 && !IS_ENABLED(CONFIG_IPV6))
		sb_die(1, "IPv6 sockets are not enabled in this build");
	sel.states |= family_defaults[fam].states;
	sel.fams |= FB(fam);
	sel.do_default = 0;
	sel.preferred = fam;
}

static int query_parse(const char *s)
{
	int enable = 1;

	if (*s == '!') {
		enable = 0;
		s++;
	}
	for (size_t i = 0; i < ARRAY_SIZE(query_names); i++) {
		if (!strcmp(s, query_names[i].name)) {
			table_set(query_names[i].tables, enable);
			return 0;
		}
	}
	return -1;
}

static uint32_t state_parse(const char *s)
{
	static const struct {
		const char *name;
		uint32_t states;
	} aliases[] = {
		{ "close", ST(CLOSE) }, { "closed", ST(CLOSE) },
		{ "syn-rcv", ST(SYN_RECV) }, { "all", SS_ALL },
		{ "connected", SS_ALL & ~(ST(CLOSE) | ST(LISTEN)) },
		{ "synchronized", SS_ALL & ~(ST(CLOSE) | ST(LISTEN) | ST(SYN_SENT)) },
		{ "bucket", ST(SYN_RECV) | ST(TIME_WAIT) },
		{ "big", SS_ALL & ~(ST(SYN_RECV) | ST(TIME_WAIT)) },
	};

	for (size_t i = 0; i < ARRAY_SIZE(aliases); i++)
		if (!strcasecmp(s, aliases[i].name))
			return aliases[i].states;
	/* the filter language's names; iproute2 takes none past closing */
	for (unsigned i = 0; i < SK_NEW_SYN_RECV; i++)
		if (!strcasecmp(s, sk_state_name(i)))
			return SK_ST_BIT(i);
	sb_die(255, "wrong state name: %s", s);
}

static void help(void)
{
	out_str(
"Usage: ss [ OPTIONS ]\n"
"       ss [ OPTIONS ] [ FILTER ]\n"
"   -h, --help          this message\n"
"   -V, --version       output version information\n"
"   -n, --numeric       don't resolve service names\n"
"   -a, --all           display all sockets\n"
"   -l, --listening     display listening sockets\n"
"   -o, --options       show timer information\n"
"   -e, --extended      show detailed socket information\n"
"   -p, --processes     show process using socket\n"
"   -T, --threads       show thread using socket\n"
"   -H, --no-header     Suppress header line\n"
"   -K, --kill          forcibly close sockets, display what was closed\n"
"   -E, --events        continually display sockets as they are destroyed\n"
"   -F, --filter=FILE   read filter information from FILE\n"
"   -N, --net=NAME      switch to the network namespace NAME (or a path)\n"
"   -j, --json[=lines]  print sockets as a JSON array (lines: one object\n"
"                       per line, streamed); see docs/sockbox-json.schema.json\n");
	if (IS_ENABLED(CONFIG_SS_RESOLVE))
		out_str("   -r, --resolve       resolve host names\n");
	if (IS_ENABLED(CONFIG_SS_DETAILS))
		out_str(
"   -m, --memory        show socket memory usage\n"
"   -i, --info          show internal TCP information\n"
"   -s, --summary       show socket usage summary\n"
"       --tos           show tos and priority information\n"
"       --cgroup        show cgroup information\n"
"       --inet-sockopt  show various inet socket options\n"
"   -b, --bpf           show bpf filter socket information\n"
"   -O, --oneline       socket's data printed on a single line\n"
"   -D, --diag=FILE     Dump raw information about TCP sockets to FILE\n");
	out_str(
"   -Z, --context       display task SELinux security contexts\n"
"   -z, --contexts      display task and socket SELinux security contexts\n"
"\n"
"   -4, --ipv4          display only IP version 4 sockets\n"
"   -6, --ipv6          display only IP version 6 sockets\n"
"   -t, --tcp           display only TCP sockets\n"
"   -u, --udp           display only UDP sockets\n"
"   -w, --raw           display only RAW sockets\n"
"   -x, --unix          display only Unix domain sockets\n"
"   -0, --packet        display PACKET sockets\n"
"       --netlink       display NETLINK sockets (as -f netlink)\n"
"   -S, --sctp          display only SCTP sockets\n"
"   -d, --dccp          display only DCCP sockets\n"
"   -M, --mptcp         display only MPTCP sockets\n"
"       --vsock         display only vsock sockets\n"
"       --tipc          display only TIPC sockets\n"
"       --tipcinfo      show TIPC socket information\n"
"       --xdp           display only XDP sockets\n"
"   -f, --family=FAMILY display sockets of type FAMILY\n"
"       FAMILY := {inet|inet6|link|unix|netlink|vsock|tipc|xdp|help}\n"
"\n"
"   -A, --query=QUERY, --socket=QUERY\n"
"       QUERY := {all|inet|tcp|mptcp|udp|raw|unix|unix_dgram|unix_stream|unix_seqpacket|packet|packet_raw|packet_dgram|netlink|dccp|sctp|vsock_stream|vsock_dgram|tipc|xdp}[,QUERY]\n"
"\n"
"       FILTER := [ state STATE-FILTER ]\n"
"       STATE-FILTER := {all|connected|synchronized|bucket|big|TCP-STATES}\n"
"         TCP-STATES := {established|syn-sent|syn-recv|fin-wait-{1,2}|time-wait|closed|close-wait|last-ack|listening|closing}\n"
"          connected := {established|syn-sent|syn-recv|fin-wait-{1,2}|time-wait|close-wait|last-ack|closing}\n"
"       synchronized := {established|syn-recv|fin-wait-{1,2}|time-wait|close-wait|last-ack|closing}\n"
"             bucket := {syn-recv|time-wait}\n"
"                big := {established|syn-sent|fin-wait-{1,2}|closed|close-wait|last-ack|listening|closing}\n");
	out_flush();
	exit(0);
}

enum {
	OPT_VSOCK = 256, OPT_TIPC, OPT_TIPCINFO, OPT_TOS, OPT_XDP, OPT_CGROUP,
	OPT_INET_SOCKOPT, OPT_NETLINK,
};

static const struct option long_opts[] = {
	{ "numeric", 0, 0, 'n' }, { "resolve", 0, 0, 'r' },
	{ "options", 0, 0, 'o' }, { "extended", 0, 0, 'e' },
	{ "memory", 0, 0, 'm' }, { "info", 0, 0, 'i' },
	{ "processes", 0, 0, 'p' }, { "threads", 0, 0, 'T' },
	{ "bpf", 0, 0, 'b' }, { "events", 0, 0, 'E' },
	{ "dccp", 0, 0, 'd' }, { "tcp", 0, 0, 't' },
	{ "sctp", 0, 0, 'S' }, { "udp", 0, 0, 'u' },
	{ "raw", 0, 0, 'w' }, { "unix", 0, 0, 'x' },
	{ "tipc", 0, 0, OPT_TIPC }, { "vsock", 0, 0, OPT_VSOCK },
	{ "all", 0, 0, 'a' }, { "listening", 0, 0, 'l' },
	{ "ipv4", 0, 0, '4' }, { "ipv6", 0, 0, '6' },
	{ "packet", 0, 0, '0' }, { "family", 1, 0, 'f' },
	{ "socket", 1, 0, 'A' }, { "query", 1, 0, 'A' },
	{ "summary", 0, 0, 's' }, { "diag", 1, 0, 'D' },
	{ "filter", 1, 0, 'F' }, { "version", 0, 0, 'V' },
	{ "help", 0, 0, 'h' }, { "context", 0, 0, 'Z' },
	{ "contexts", 0, 0, 'z' }, { "net", 1, 0, 'N' },
	{ "tipcinfo", 0, 0, OPT_TIPCINFO }, { "tos", 0, 0, OPT_TOS },
	{ "cgroup", 0, 0, OPT_CGROUP }, { "kill", 0, 0, 'K' },
	{ "no-header", 0, 0, 'H' }, { "xdp", 0, 0, OPT_XDP },
	{ "mptcp", 0, 0, 'M' }, { "oneline", 0, 0, 'O' },
	{ "inet-sockopt", 0, 0, OPT_INET_SOCKOPT },
	{ "json", 2, 0, 'j' },
	{ "netlink", 0, 0, OPT_NETLINK },
	{ 0 }
};

static const char *opt_name(int ch)
{
	for (const struct option *o = long_opts; o->name; o++)
		if (o->val == ch)
			return o->name;
	return "?";
}

/* A -F file's expression: its lines less blank ones and # comments. */
static char *read_filter_file(const char *name)
{
	struct sb_file *f = strcmp(name, "-") ? sb_fopen(name) : sb_fdopen(STDIN_FILENO);
	char line[1024], *text = NULL;
	size_t len = 0;

	if (!f)
		sb_die(255, "-F %s: %s", name, strerror(errno));
	while (sb_fgets(line, sizeof(line), f)) {
		size_t n = strspn(line, " \t");
		if (line[n] == '#' || line[n] == '\n' || !line[n])
			continue;
		n = strlen(line);
		char *t = realloc(text, len + n + 2);
		if (!t)
			sb_die(1, "out of memory");
		text = t;
		memcpy(text + len, line, n);
		len += n;
		text[len++] = ' ';
		text[len] = 0;
	}
	if (f->err)
		sb_die(255, "-F %s: %s", name, strerror(f->err));
	sb_fclose(f);
	return text;
}

static const int fam_af[F_MAX] = {
	[F_INET] = AF_INET, [F_INET6] = AF_INET6, [F_UNIX] = AF_UNIX,
	[F_PACKET] = AF_PACKET, [F_NETLINK] = AF_NETLINK, [F_VSOCK] = AF_VSOCK,
	[F_TIPC] = AF_TIPC, [F_XDP] = AF_XDP,
};

/* The expression after the state words: a tree for libsock. A host
 * condition naming a family ("unix:...", or any host under -x/-4/...)
 * narrows the families to it, as iproute2 does. */
static const struct sk_filter *parse_filter(int argc, char **argv, const char *file)
{
	struct sk_filter_ctx ctx = {
		.family = sel.preferred >= 0 ? fam_af[sel.preferred] : AF_UNSPEC,
		.tables = sel.tables,
	};
	int status;

	if (!IS_ENABLED(CONFIG_FILTER))
		sb_die(255, "filter expressions are not enabled in this build");
	char *text = file ? read_filter_file(file) : NULL;
	struct sk_filter *f = sk_filter_parse(argc, argv, text, &ctx, &status);
	free(text);
	if (status) {
		out_flush();
		exit(status);
	}
	if (getenv("SOCKBOX_FILTER_DUMP"))
		sk_filter_dump(f);
	if (ctx.set_family != AF_UNSPEC) {
		for (int i = 0; i < F_MAX; i++)
			if (fam_af[i] == ctx.set_family) {
				sel.fams = FB(i);
				sel.preferred = i;
			}
	}
	return f;
}

static int ignore_sock(const struct sock_rec *rec, void *arg)
{
	return 0;
}

/* -D FILE: the raw TCP sock_diag answers, nothing printed ("-..." is
 * stdout, as in iproute2). */
static int diag_dump(struct sock_query *q, const char *file)
{
	if (!(sel.tables & T(TCP))) {
		sb_warn("tcpdiag dump requested and no tcp in filter.");
		return 0;
	}
	q->tables = T(TCP);
	q->filter = NULL;
	sk_raw_dump_fd = file[0] == '-' ? STDOUT_FILENO :
			 open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (sk_raw_dump_fd < 0)
		sb_die(1, "-D %s: %s", file, strerror(errno));
	out_flush();	/* a -s summary goes first */
	int rc = sock_dump(q, ignore_sock, NULL);
	if (sk_raw_dump_err)
		sb_die(1, "-D %s: write error: %s", file, strerror(sk_raw_dump_err));
	if (sk_raw_dump_fd != STDOUT_FILENO && close(sk_raw_dump_fd))
		sb_die(1, "-D %s: %s", file, strerror(errno));
	return rc < 0 ? 1 : 0;
}

int ss_main(int argc, char **argv)
{
	uint32_t state_filter = 0;
	int saw_query = 0, saw_states = 0, ch;
	const char *filter_file = NULL, *dump_file = NULL;
	int do_summary = 0;

	sel = (typeof(sel)){ .do_default = 1, .preferred = -1 };	/* re-entrant: the options fuzzer */
	while ((ch = sb_getopt_long(argc, argv,
				    "dhaletuwxnro460spTbEf:mMiA:D:F:vVzZN:KHSOj",
				    long_opts)) != -1) {
		switch (ch) {
		case 'n': ss.numeric = 1; break;
		case 'p': ss.show_processes = 1; break;
		case 'o':
			details_enabled("-o");
			ss.show_options = 1;
			break;
		case 'e':
			details_enabled("-e");
			ss.show_options = 1;
			ss.show_details = 1;
			break;
		case 'T': ss.show_threads = 1; break;
		case 'r':
			if (!IS_ENABLED(CONFIG_SS_RESOLVE))
				sb_die(1, "-r is not enabled in this build");
			ss.resolve = 1;
			break;
		case 'm':
			details_enabled("-m");
			ss.show_mem = 1;
			break;
		case 'i':
			details_enabled("-i");
			ss.show_info = 1;
			break;
		case 'b':
			details_enabled("-b");
			ss.show_options = 1;
			ss.show_bpf = 1;
			break;
		case OPT_TOS:
			details_enabled("--tos");
			ss.show_tos = 1;
			break;
		case OPT_CGROUP:
			details_enabled("--cgroup");
			ss.show_cgroup = 1;
			break;
		case OPT_INET_SOCKOPT:
			details_enabled("--inet-sockopt");
			ss.show_inet_sockopt = 1;
			break;
		case 'O': ss.oneline = 1; break;
		case 's':
			details_enabled("-s");
			do_summary = 1;
			break;
		case 'D':
			details_enabled("-D");
			dump_file = sb_optarg;
			break;
		case 'Z':
		case 'z':	/* as iproute2 on a system without SELinux */
			sb_die(1, "SELinux is not enabled.");
		case 't': table_set(T(TCP), 1); break;
		case 'u':
			require_tables(T(UDP), "UDP");
			table_set(T(UDP), 1);
			break;
		case 'w':
			require_tables(T(RAW), "RAW");
			table_set(T(RAW), 1);
			break;
		case 'x':
			require_tables(SKT_UNIX_ALL, "UNIX");
			family_set(F_UNIX);
			break;
		case '0':
			require_tables(SKT_PACKET_ALL, "PACKET");
			family_set(F_PACKET);
			break;
		case OPT_NETLINK:
			require_tables(T(NETLINK), "NETLINK");
			family_set(F_NETLINK);
			break;
		case 'd':
			require_tables(T(DCCP), "DCCP");
			table_set(T(DCCP), 1);
			break;
		case 'S':
			require_tables(T(SCTP), "SCTP");
			table_set(T(SCTP), 1);
			break;
		case 'M':
			require_tables(T(MPTCP), "MPTCP");
			table_set(T(MPTCP), 1);
			break;
		case OPT_VSOCK:
			require_tables(SKT_VSOCK_ALL, "VSOCK");
			family_set(F_VSOCK);
			break;
		case OPT_TIPC:
			require_tables(T(TIPC), "TIPC");
			family_set(F_TIPC);
			break;
		case 'K':
		case 'E':
			if (!IS_ENABLED(CONFIG_SS_ACTIONS))
				sb_die(1, "-%c is not enabled in this build", ch);
			if (ch == 'K')
				ss.kill = 1;
			else
				ss.events = 1;
			break;
		case OPT_TIPCINFO:
			ss.show_tipcinfo = 1;
			break;
		case OPT_XDP:
			require_tables(T(XDP), "XDP");
			family_set(F_XDP);
			break;
		case 'a': state_filter = SS_ALL; break;
		case 'l': state_filter = ST(LISTEN) | ST(CLOSE); break;
		case '4': family_set(F_INET); break;
		case '6': family_set(F_INET6); break;
		case 'H': ss.no_header = 1; break;
		case 'N': {
			int err = sk_netns_enter(sb_optarg);
			if (err)
				sb_die(1, "cannot open network namespace \"%s\": %s",
				       sb_optarg, strerror(-err));
			break;
		}
		case 'F':
			if (filter_file)
				sb_die(255, "more than one filter file (-F)");
			filter_file = sb_optarg;
			break;
		case 'j':
			if (!IS_ENABLED(CONFIG_JSON))
				sb_die(255, "--json is not enabled in this build");
			if (!sb_optarg || !strcmp(sb_optarg, "array"))
				ss.json = SS_JSON_ARRAY;
			else if (!strcmp(sb_optarg, "lines"))
				ss.json = SS_JSON_LINES;
			else
				sb_die(255, "--json takes 'array' or 'lines', not '%s'", sb_optarg);
			break;
		case 'f': {
			size_t i;
			if (!strcmp(sb_optarg, "help"))
				help();
			for (i = 0; i < ARRAY_SIZE(family_names); i++)
				if (!strcmp(sb_optarg, family_names[i].name))
					break;
			if (i == ARRAY_SIZE(family_names))
				sb_die(255, "\"%s\" is invalid family", sb_optarg);
			family_set(family_names[i].fam);
			break;
		}
		case 'A': {
			char *p = sb_optarg, *comma;
			if (!saw_query) {
				sel.tables = 0;
				if (!state_filter)
					state_filter = SS_CONN;
				saw_query = 1;
				sel.do_default = 0;
			}
			for (;;) {
				comma = strchr(p, ',');
				if (comma)
					*comma = 0;
				if (query_parse(p))
					sb_die(255, "\"%s\" is illegal socket table id", p);
				if (!comma)
					break;
				p = comma + 1;
			}
			break;
		}
		case 'v':
		case 'V':
			out_str("ss utility, iproute2-6.1.0 (sockbox " SOCKBOX_VERSION ")\n");
			out_flush();
			return 0;
		case 'h':
			help();
			break;
		case '?':
			if (sb_optopt)
				sb_die(255, "invalid option -- '%c' (try 'ss --help')", sb_optopt);
			sb_die(255, "unrecognized option '%s' (try 'ss --help')",
			       argv[sb_optind - 1]);
		default:
			sb_die(255, "option --%s is not implemented in this build", opt_name(ch));
		}
	}
	argc -= sb_optind;
	argv += sb_optind;

	if (do_summary) {
		ss_print_summary();
		/* nothing else asked for: the summary is all */
		if (sel.do_default && argc == 0) {
			out_flush();
			return 0;
		}
	}

	while (argc > 0) {
		if (!strcmp(argv[0], "state")) {
			if (argc < 2)
				sb_die(255, "missing state name after 'state'");
			if (!saw_states)
				state_filter = 0;
			state_filter |= state_parse(argv[1]);
			saw_states = 1;
		} else if (!strcmp(argv[0], "exclude") || !strcmp(argv[0], "excl")) {
			if (argc < 2)
				sb_die(255, "missing state name after '%s'", argv[0]);
			if (!saw_states)
				state_filter = SS_ALL;
			state_filter &= ~state_parse(argv[1]);
			saw_states = 1;
		} else {
			break;
		}
		argc -= 2;
		argv += 2;
	}

	if (sel.do_default) {
		if (!state_filter)
			state_filter = SS_CONN;
		query_parse("all");
	}
	if (state_filter)
		sel.states = state_filter;
	/* Complete tables from families and families from tables. */
	for (unsigned t = 0; t < SKT_MAX; t++)
		if ((sel.tables & SKT_BIT(t)) && !(table_defaults[t].fams & sel.fams))
			sel.fams |= table_defaults[t].fams;
	for (int f = 0; f < F_MAX; f++)
		if ((sel.fams & FB(f)) && !(family_defaults[f].tables & sel.tables))
			sel.tables |= family_defaults[f].tables;

	if (!sel.tables) {
		sb_warn("no socket tables to show with such filter.");
		return 0;
	}
	if (!sel.states) {
		sb_warn("no socket states to show with such filter.");
		return 0;
	}

	struct sock_query q = { .states = sel.states };
	if (ss.show_details)
		q.ext |= SKX_VFS;
	if (ss.show_mem)
		q.ext |= SKX_MEMINFO | SKX_SKMEMINFO;
	if (ss.show_info)
		q.ext |= SKX_INFO;
	if (ss.show_tos)
		q.ext |= SKX_TOS;
	ss.show_extras = ss.show_options | ss.show_details | ss.show_mem |
			 ss.show_info | ss.show_tos | ss.show_cgroup |
			 ss.show_inet_sockopt | ss.show_bpf;
	/* -D dumps before the filter is read, so it takes none (iproute2) */
	if ((argc > 0 || filter_file) && !dump_file)
		q.filter = parse_filter(argc, argv, filter_file);
	for (unsigned t = 0; t < SKT_MAX; t++)
		if ((sel.tables & SKT_BIT(t)) && (table_defaults[t].fams & sel.fams))
			q.tables |= SKT_BIT(t);
	ss.dg_table = q.tables & T(TCP) ? SKT_TCP : q.tables & T(UDP) ? SKT_UDP :
		      q.tables & T(RAW) ? SKT_RAW : SKT_MAX;
	if ((sel.fams & FB(F_INET)) && sel.preferred != F_INET6)
		q.families |= SKQ_V4;
	if ((sel.fams & FB(F_INET6)) && sel.preferred != F_INET)
		q.families |= SKQ_V6;
	q.proc_families = (sel.fams & FB(F_INET) ? SKQ_V4 : 0) |
			  (sel.fams & FB(F_INET6) ? SKQ_V6 : 0);

	if (IS_ENABLED(CONFIG_SS_DETAILS) && dump_file)
		return diag_dump(&q, dump_file);
	if (!(sel.tables & (sel.tables - 1)))
		render_disable(COL_NETID);
	if (!(sel.states & (sel.states - 1)))
		render_disable(COL_STATE);
	if (ss.show_processes || ss.show_threads) {
		if (!IS_ENABLED(CONFIG_PROCESSES))
			sb_die(1, "-p/-T (processes) are not enabled in this build");
		ss.procs = procmap_build(ss.show_threads ? PM_THREADS : 0);
		if (!ss.procs)
			sb_die(1, "-p needs /proc (is it mounted?) to find processes: %s",
			       strerror(errno));
	}
	if (IS_ENABLED(CONFIG_SS_ACTIONS) && ss.events)
		return ss_follow(&q);
	if (IS_ENABLED(CONFIG_SS_ACTIONS) && ss.kill) {
		if (argc <= 0 && !filter_file)
			sb_die(1, "-K needs a filter expression to select the sockets to close");
		if (!ss.no_header)
			render_header();
		int rc = sock_dump(&q, ss_kill_sock, NULL);
		render_flush();
		return rc < 0 || ss.kill > 1 ? 1 : 0;
	}
	if (IS_ENABLED(CONFIG_JSON) && ss.json) {
		ss_json_begin();
		int rc = sock_dump(&q, ss_json_sock, NULL);
		ss_json_end();
		return rc < 0 ? 1 : 0;
	}
	if (!ss.no_header)
		render_header();
	int rc = sock_dump(&q, ss_print_sock, NULL);
	render_flush();
	return rc < 0 ? 1 : 0;
}
