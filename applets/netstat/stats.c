/* netstat -s: the kernel's SNMP counters as net-tools 2.10 words them.
 * Tables below hold "TypeName|sentence" lines, % marking the number,
 * in net-tools' order: it finds names by binary search, and where its
 * order is not sorted a name is missed and printed raw as "Name: N" —
 * keeping the order (and the same search) keeps those lines too.
 * Types: n always, o only when non-zero, i/O ICMP input/output
 * histogram (non-zero), x found but never printed. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sockbox.h"
#include "libsock/fmt.h"
#include "libsock/out.h"
#include "libsock/snmp.h"
#include "netstat.h"

static const char ip4[] =
	"xDefaultTTL|\n"
	"xForwarding|\n"
	"nForwDatagrams|% forwarded\n"
	"oFragCreates|% fragments created\n"
	"oFragFails|% outgoing packets failed fragmentation\n"
	"oFragOKs|% outgoing packets fragmented ok\n"
	"oInAddrErrors|% with invalid addresses\n"
	"nInDelivers|% incoming packets delivered\n"
	"nInDiscards|% incoming packets discarded\n"
	"oInHdrErrors|% with invalid headers\n"
	"nInReceives|% total packets received\n"
	"oInUnknownProtos|% with unknown protocol\n"
	"oOutDiscards|% outgoing packets dropped\n"
	"oOutNoRoutes|% dropped because of missing route\n"
	"nOutRequests|% requests sent out\n"
	"oReasmFails|% packet reassemblies failed\n"
	"oReasmOKs|% packets reassembled ok\n"
	"oReasmReqds|% reassemblies required\n"
	"oReasmTimeout|% fragments dropped after timeout\n"
	;
static const char ip6[] =
	"oIp6FragCreates|% fragments created\n"
	"oIp6FragFails|% outgoing packets failed fragmentation\n"
	"oIp6FragOKs|% outgoing packets fragmented ok\n"
	"oIp6InAddrErrors|% with invalid addresses\n"
	"nIp6InDelivers|% incoming packets delivered\n"
	"nIp6InDiscards|% incoming packets discarded\n"
	"oIp6InHdrErrors|% with invalid headers\n"
	"oIp6InMcastPkts|% incoming multicast packets\n"
	"oIp6InNoRoutes|% incoming packets with no route\n"
	"nIp6InReceives|% total packets received\n"
	"oIp6InTooBigErrors|% with packets too big\n"
	"oIp6InTruncatedPkts|% with truncated packets\n"
	"oIp6InUnknownProtos|% with unknown protocol\n"
	"oIp6OutDiscards|% outgoing packets dropped\n"
	"nIp6OutForwDatagrams|% forwarded\n"
	"oIp6OutMcastPkts|% outgoing multicast packets\n"
	"oIp6OutNoRoutes|% dropped because of missing route\n"
	"nIp6OutRequests|% requests sent out\n"
	"oIp6ReasmFails|% packet reassemblies failed\n"
	"oIp6ReasmOKs|% packets reassembled ok\n"
	"oIp6ReasmReqds|% reassemblies required\n"
	"oIp6ReasmTimeout|% fragments dropped after timeout\n"
	;
static const char icmp4[] =
	"iInAddrMaskReps|address mask replies: %\n"
	"iInAddrMasks|address mask request: %\n"
	"iInDestUnreachs|destination unreachable: %\n"
	"iInEchoReps|echo replies: %\n"
	"iInEchos|echo requests: %\n"
	"nInErrors|% input ICMP message failed\n"
	"nInMsgs|% ICMP messages received\n"
	"iInParmProbs|wrong parameters: %\n"
	"iInRedirects|redirects: %\n"
	"iInSrcQuenchs|source quenches: %\n"
	"iInTimeExcds|timeout in transit: %\n"
	"iInTimestampReps|timestamp reply: %\n"
	"iInTimestamps|timestamp request: %\n"
	"OOutAddrMaskReps|address mask replies: %\n"
	"OOutAddrMasks|address mask requests: %\n"
	"OOutDestUnreachs|destination unreachable: %\n"
	"OOutEchoReps|echo replies: %\n"
	"OOutEchos|echo requests: %\n"
	"nOutErrors|% ICMP messages failed\n"
	"nOutMsgs|% ICMP messages sent\n"
	"OOutParmProbs|wrong parameters: %\n"
	"OOutRedirects|redirect: %\n"
	"OOutSrcQuenchs|source quench: %\n"
	"OOutTimeExcds|time exceeded: %\n"
	"OOutTimestampReps|timestamp replies: %\n"
	"OOutTimestamps|timestamp requests: %\n"
	;
static const char icmp6[] =
	"iIcmp6InDestUnreachs|destination unreachable: %\n"
	"iIcmp6InEchoReplies|echo replies: %\n"
	"iIcmp6InEchos|echo requests: %\n"
	"nIcmp6InErrors|% input ICMP message failed\n"
	"iIcmp6InGroupMembQueries|group member queries: %\n"
	"iIcmp6InGroupMembReductions|group member reductions: %\n"
	"iIcmp6InGroupMembResponses|group member responses: %\n"
	"nIcmp6InMsgs|% ICMP messages received\n"
	"iIcmp6InNeighborAdvertisements|neighbour advertisement: %\n"
	"iIcmp6InNeighborSolicits|neighbour solicits: %\n"
	"iIcmp6InParmProblems|parameter problem: %\n"
	"iIcmp6InPktTooBigs|packets too big: %\n"
	"iIcmp6InRedirects|redirects: %\n"
	"iIcmp6InRouterAdvertisements|router advertisement: %\n"
	"iIcmp6InRouterSolicits|router solicits: %\n"
	"iIcmp6InTimeExcds|received ICMPv6 time exceeded: %\n"
	"OIcmp6OutDestUnreachs|destination unreachable: %\n"
	"OIcmp6OutEchoReplies|echo replies: %\n"
	"OIcmp6OutEchos|echo requests: %\n"
	"OIcmp6OutGroupMembQueries|group member queries: %\n"
	"OIcmp6OutGroupMembReductions|group member reductions: %\n"
	"OIcmp6OutGroupMembResponses|group member responses: %\n"
	"nIcmp6OutMsgs|% ICMP messages sent\n"
	"OIcmp6OutNeighborAdvertisements|neighbor advertisements: %\n"
	"OIcmp6OutNeighborSolicits|neighbor solicits: %\n"
	"OIcmp6OutParmProblems|parameter problem: %\n"
	"OIcmp6OutPktTooBigs|packets too big: %\n"
	"OIcmp6OutRedirects|redirects: %\n"
	"OIcmp6OutRouterAdvertisements |router advertisement: %\n"
	"OIcmp6OutRouterSolicits|router solicits: %\n"
	"OIcmp6OutTimeExcds|sent ICMPv6 time exceeded: %\n"
	;
static const char tcp[] =
	"nActiveOpens|% active connection openings\n"
	"nAttemptFails|% failed connection attempts\n"
	"nCurrEstab|% connections established\n"
	"nEstabResets|% connection resets received\n"
	"nInErrs|% bad segments received\n"
	"nInSegs|% segments received\n"
	"xMaxConn|\n"
	"nOutRsts|% resets sent\n"
	"nOutSegs|% segments sent out\n"
	"nPassiveOpens|% passive connection openings\n"
	"nRetransSegs|% segments retransmitted\n"
	"xRtoAlgorithm|\n"
	"xRtoMax|\n"
	"xRtoMin|\n"
	;
static const char udp4[] =
	"nInDatagrams|% packets received\n"
	"nInErrors|% packet receive errors\n"
	"nNoPorts|% packets to unknown port received\n"
	"nOutDatagrams|% packets sent\n"
	"nRcvbufErrors|% receive buffer errors\n"
	"nSndbufErrors|% send buffer errors\n"
	;
static const char udp6[] =
	"nUdp6InDatagrams|% packets received\n"
	"nUdp6InErrors|% packet receive errors\n"
	"nUdp6NoPorts|% packets to unknown port received\n"
	"nUdp6OutDatagrams|% packets sent\n"
	;
static const char tcpext[] =
	"oDelayedACKLocked|% delayed acks further delayed because of locked socket\n"
	"oDelayedACKLost|Quick ack mode was activated % times\n"
	"oDelayedACKs|% delayed acks sent\n"
	"oEmbryonicRsts|% resets received for embryonic SYN_RECV sockets\n"
	"oListenDrops|% SYNs to LISTEN sockets dropped\n"
	"oListenOverflows|% times the listen queue of a socket overflowed\n"
	"oLockDroppedIcmps|% ICMP packets dropped because socket was locked\n"
	"oOfoPruned|% packets dropped from out-of-order queue because of socket buffer overrun\n"
	"oOutOfWindowIcmps|% ICMP packets dropped because they were out-of-window\n"
	"oPAWSActive|% active connections rejected because of time stamp\n"
	"oPAWSEstab|% packets rejected in established connections because of timestamp\n"
	"oPAWSPassive|% passive connections rejected because of time stamp\n"
	"oPruneCalled|% packets pruned from receive queue because of socket buffer overrun\n"
	"oRcvPruned|% packets pruned from receive queue\n"
	"oSockMallocOOM|Ran % times out of system memory during packet sending\n"
	"oSyncookiesFailed|% invalid SYN cookies received\n"
	"oSyncookiesRecv|% SYN cookies received\n"
	"oSyncookiesSent|% SYN cookies sent\n"
	"oTCPAbortFailed|% times unable to send RST due to no memory\n"
	"oTCPAbortOnClose|% connections reset due to early user close\n"
	"oTCPAbortOnData|% connections reset due to unexpected data\n"
	"oTCPAbortOnLinger|% connections aborted after user close in linger timeout\n"
	"oTCPAbortOnMemory|% connections aborted due to memory pressure\n"
	"oTCPAbortOnSyn|% connections reset due to unexpected SYN\n"
	"oTCPAbortOnTimeout|% connections aborted due to timeout\n"
	"oTCPDirectCopyFromBacklog|% bytes directly in process context from backlog\n"
	"xTCPDirectCopyFromPrequeue|\n"
	"xTCPDSACKOfoRecv|\n"
	"xTCPDSACKOfoSent|\n"
	"xTCPDSACKOldSent|\n"
	"xTCPDSACKRecv|\n"
	"xTCPDSackUndo|\n"
	"xTCPDSACKUndo|\n"
	"oTCPFACKReorder|Detected reordering % times using FACK\n"
	"oTCPFastRetrans|% fast retransmits\n"
	"oTCPForwardRetrans|% forward retransmits\n"
	"oTCPFullUndo|% congestion windows fully recovered without slow start\n"
	"oTCPHPAcks|% predicted acknowledgments\n"
	"nTCPHPHits|% packet headers predicted\n"
	"oTCPHPHitsToUser|% packet headers predicted and directly queued to user\n"
	"oTCPLossFailures|% timeouts in loss state\n"
	"xTCPLoss|\n"
	"oTCPLossUndo|% congestion windows recovered without slow start after partial ack\n"
	"oTCPLostRetransmits|% retransmits lost\n"
	"oTCPMemoryPressures|TCP ran low on memory % times\n"
	"oTCPPartialUndo|% congestion windows partially recovered using Hoe heuristic\n"
	"oTCPPrequeued|% packets directly queued to recvmsg prequeue\n"
	"xTCPPrequeueDropped|\n"
	"oTCPPureAcks|% acknowledgments not containing data payload received\n"
	"oTCPRcvCollapsed|% packets collapsed in receive queue due to low socket buffer\n"
	"oTCPRenoFailures|% timeouts after reno fast retransmit\n"
	"xTCPRenoRecoveryFailed|\n"
	"xTCPRenoRecoveryFail|\n"
	"oTCPRenoRecovery|% times recovered from packet loss due to fast retransmit\n"
	"oTCPRenoReorder|Detected reordering % times using reno fast retransmit\n"
	"xTCPSackFailures|\n"
	"xTCPSackRecoveryFail|\n"
	"xTCPSackRecovery|\n"
	"xTCPSACKReneging|\n"
	"oTCPSACKReorder|Detected reordering % times using SACK\n"
	"oTCPSchedulerFailed|% times receiver scheduled too late for direct processing\n"
	"oTCPSlowStartRetrans|% retransmits in slow start\n"
	"xTCPTimeouts|\n"
	"oTCPTSReorder|Detected reordering % times using time stamp\n"
	"xTWKilled|\n"
	"oTW|% TCP sockets finished time wait in fast timer\n"
	"oTWRecycled|% time wait sockets recycled by time stamp\n"
	;
static const char sctp[] =
	"nSctpAborteds|% Number of Aborteds \n"
	"nSctpActiveEstabs|% Active Associations\n"
	"nSctpChecksumErrors|% Number of Packets with invalid Checksum\n"
	"nSctpCurrEstab|% Current Associations\n"
	"nSctpFragUsrMsgs|% Number of messages fragmented\n"
	"nSctpInCtrlChunks|% Number of control chunks received\n"
	"nSctpInOrderChunks|% Number of ordered chunks received\n"
	"nSctpInSCTPPacks|% Number of SCTP packets received\n"
	"nSctpInUnorderChunks|% Number of Unordered chunks received\n"
	"nSctpOutCtrlChunks|% Number of control chunks sent\n"
	"nSctpOutOfBlues|% Number of Out of Blue packets\n"
	"nSctpOutOrderChunks|% Number of ordered chunks sent\n"
	"nSctpOutSCTPPacks|% Number of SCTP packets sent\n"
	"nSctpOutUnorderChunks|% Number of Unordered chunks sent\n"
	"nSctpPassiveEstabs|% Passive Associations\n"
	"nSctpReasmUsrMsgs|% Number of messages reassembled \n"
	"nSctpShutdowns|% Number of Graceful Terminations\n"
	;

enum { ST_NUM, ST_OPT, ST_IN = 3, ST_OUT };	/* net-tools' states */
enum { F_RAW = 1, F_TCP = 2, F_UDP = 4, F_SCTP = 8, F_ANY = 16 };

struct stab {
	const char *title, *ents;
	unsigned flag;
};

static const struct stab snmp_tabs[] = {
	{ "Ip", ip4, F_RAW }, { "Icmp", icmp4, F_RAW }, { "Tcp", tcp, F_TCP },
	{ "Udp", udp4, F_UDP }, { "Sctp", sctp, F_SCTP }, { "TcpExt", tcpext, F_TCP }, { 0 }
};
static const struct stab snmp6_tabs[] = {
	{ "Ip6", ip6, F_RAW }, { "Icmp6", icmp6, F_RAW }, { "Udp6", udp6, F_UDP },
	{ "Tcp6", tcp, F_TCP }, { 0 }
};

static struct {
	unsigned want;		/* F_* selected by -t -u -w */
	int state;
	const struct stab *tab;
	char prefix[64];	/* snmp6: the table a name belongs to */
} st;

static void indent(int state)
{
	out_spaces(state >= ST_IN ? 8 : 4);
}

static int name_cmp(const char *key, const char *e)
{
	for (; *e != '|' && *key == *e; key++, e++)
		;
	return (unsigned char)*key - (unsigned char)(*e == '|' ? 0 : *e);
}

/* The entry for name, by the same halving search as bsearch(3). */
static const char *lookup(const char *ents, const char *name)
{
	const char *idx[80];
	size_t n = 0, lo = 0, hi;

	for (const char *p = ents; *p && n < ARRAY_SIZE(idx); p = strchr(p, '\n') + 1)
		idx[n++] = p;
	hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = name_cmp(name, idx[mid] + 1);
		if (!c)
			return idx[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static void print_val(const char *name, uint64_t val)
{
	const char *e = st.tab->ents ? lookup(st.tab->ents, name) : NULL;
	int type;

	if (!e) {		/* net-tools' "try our best" */
		if (val) {
			indent(st.state);
			out_str(name);
			out_str(": ");
			out_u64(val);
			out_char('\n');
		}
		return;
	}
	if (*e == 'x')
		return;
	type = *e == 'n' ? ST_NUM : *e == 'o' ? ST_OPT : *e == 'i' ? ST_IN : ST_OUT;
	if (type >= ST_IN && st.state != type) {
		indent(st.state);
		out_str(type == ST_IN ? "ICMP input histogram:\n" : "ICMP output histogram:\n");
	}
	if (val || type == ST_NUM) {
		const char *s = strchr(e, '|') + 1, *pct = strchr(s, '%'), *end = strchr(s, '\n');
		indent(type);
		out_write(s, pct - s);
		out_u64(val);
		out_write(pct + 1, end - pct);
	}
	st.state = type;
}

static void new_table(const struct stab *tabs, const char *title)
{
	static struct stab unknown = { NULL, NULL, F_ANY };

	for (; tabs->title; tabs++)
		if (!strcmp(title, tabs->title)) {
			if (st.want & tabs->flag) {
				out_str(title);
				out_str(":\n");
			}
			st.state = ST_NUM;
			st.tab = tabs;
			return;
		}
	out_str(title);		/* tables net-tools does not know: always shown */
	out_str(":\n");
	st.tab = &unknown;
}

/* /proc/net/snmp and /proc/net/netstat; with only_tcp just the Tcp table */
static int pair_field(const char *table, const char *name, uint64_t val, void *only_tcp)
{
	if (only_tcp && strncmp(table, "Tcp", 3))
		return 0;
	if (!name)
		new_table(snmp_tabs, table);
	else if (st.tab->flag & (st.want | F_ANY))
		print_val(name, val);
	return 0;
}

static int sctp_field(const char *table, const char *name, uint64_t val, void *arg)
{
	if (st.want & F_SCTP)
		print_val(name, val);
	return 0;
}

/* snmp6 names carry their table: "Icmp6InMsgs" is table "Icmp6" */
static int snmp6_field(const char *table, const char *name, uint64_t val, void *arg)
{
	if (!st.tab || !strstr(name, st.prefix)) {
		size_t n = strcspn(name, "6");
		n += name[n] == '6';
		if (n >= sizeof(st.prefix))
			n = sizeof(st.prefix) - 1;
		memcpy(st.prefix, name, n);
		st.prefix[n] = 0;
		new_table(snmp6_tabs, st.prefix);
	}
	if (st.tab->flag & (st.want | F_ANY))
		print_val(name, val);
	return 0;
}

static int must_read(const char *rel, int pairs, sk_snmp_cb cb, void *arg)
{
	int rc = sk_snmp_read(rel, pairs, cb, arg);

	if (rc < 0) {
		out_flush();
		fprintf(stderr, "cannot open /proc/%s: %s\n", rel, strerror(-rc));
	}
	return rc;
}

int ns_statistics(int v6, int tcp, int udp, int raw, int sctp)
{
	st.want = (raw ? F_RAW : 0) | (tcp ? F_TCP : 0) | (udp ? F_UDP : 0) | (sctp ? F_SCTP : 0);
	if (v6) {
		if (must_read("net/snmp6", 0, snmp6_field, NULL) >= 0)
			must_read("net/snmp", 1, pair_field, (void *)1);
	} else if (must_read("net/snmp", 1, pair_field, NULL) >= 0) {
		char path[256];
		sk_snmp_read("net/netstat", 1, pair_field, NULL);
		if (!access(sk_proc_path(path, sizeof(path), "net/sctp/snmp"), R_OK)) {
			new_table(snmp_tabs, "Sctp");
			sk_snmp_read("net/sctp/snmp", 0, sctp_field, NULL);
		}
	}
	out_flush();
	return 0;
}
