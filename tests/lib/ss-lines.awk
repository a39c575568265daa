# Strict check of socket listings, one line at a time. Prints each bad line
# with its number and exits 1 if there was one.
#   awk -f ss-lines.awk                 ss -tan[p] (piped, compact columns):
#        header, then State, two queue numbers, local and peer address:port
#        and with -p users:((...))
#   awk -v mode=netstat -f ss-lines.awk netstat -tan[p]: two header lines,
#        then tcp/tcp6, queues, addresses, net-tools state [PID/Program]
#   awk -v mode=sockstat -f ss-lines.awk sockstat -46: header, then USER
#        COMMAND PID FD PROTO LOCAL FOREIGN ("??" where not ours)
function bad(why) { printf "line %d: %s: %s\n", NR, why, $0; err = 1 }
function addr(s) { return s ~ /^(\*|[0-9.]+|\[[0-9a-f:.]+\])(%[a-z0-9]+)?:(\*|[0-9]+)$/ }
function naddr(s) { return s ~ /^([0-9.]+|[0-9a-f:]+):(\*|[0-9]+)$/ }
mode == "netstat" && NR == 1 {
	if ($0 !~ /^Active Internet connections \((servers and established|only servers|w\/o servers)\)$/)
		bad("title")
	next
}
mode == "netstat" && NR == 2 {
	if ($0 !~ /^Proto Recv-Q Send-Q Local Address +Foreign Address +State +(PID\/Program name +)?$/)
		bad("header")
	next
}
mode == "netstat" {
	if (NF != 6 && NF != 7) { bad("fields"); next }
	if ($1 !~ /^tcp6?$/) bad("proto")
	if ($2 !~ /^[0-9]+$/ || $3 !~ /^[0-9]+$/) bad("queues")
	if (!naddr($4) || !naddr($5)) bad("address")
	if ($6 !~ /^(ESTABLISHED|SYN_SENT|SYN_RECV|FIN_WAIT1|FIN_WAIT2|TIME_WAIT|CLOSE|CLOSE_WAIT|LAST_ACK|LISTEN|CLOSING|UNKNOWN)$/)
		bad("state")
	if (NF == 7 && $7 !~ /^([0-9]+\/[^ ]+|-)$/) bad("program")
	next
}
mode == "sockstat" && NR == 1 {
	if ($0 !~ /^USER +COMMAND +PID +FD +PROTO +LOCAL ADDRESS +FOREIGN ADDRESS *$/)
		bad("header")
	next
}
mode == "sockstat" {
	if (NF != 7) { bad("fields"); next }
	if ($1 !~ /^([a-z_][a-z0-9_-]*|[0-9]+|\?\?)$/) bad("user")
	if ($3 !~ /^([0-9]+|\?\?)$/ || $4 !~ /^([0-9]+|\?\?)$/) bad("pid/fd")
	if ($5 !~ /^(tcp|udp|sctp)(4|6|46)$/) bad("proto")
	for (i = 6; i <= 7; i++)
		if (!naddr($i) && $i !~ /^\*:(\*|[0-9]+)$/) bad("address " i - 5)
	next
}
NR == 1 {
	if ($0 !~ /^State +Recv-Q +Send-Q +Local Address:Port +Peer Address:Port *Process *$/)
		bad("header")
	next
}
{
	if (NF != 5 && NF != 6) { bad("fields"); next }
	if ($1 !~ /^(ESTAB|SYN-SENT|SYN-RECV|FIN-WAIT-1|FIN-WAIT-2|TIME-WAIT|UNCONN|CLOSE-WAIT|LAST-ACK|LISTEN|CLOSING)$/)
		bad("state")
	# iproute2 prints the kernel's u32 queues with %d. A socket caught in
	# connect() before its send sequence is set has a random Send-Q
	# (write_seq - snd_una), so a negative number is a well-formed one.
	if ($2 !~ /^-?[0-9]+$/ || $3 !~ /^-?[0-9]+$/) bad("queues")
	for (i = 4; i <= 5; i++)
		if (!addr($i))
			bad("address " i - 3)
	if (NF == 6 && $6 !~ /^users:\(\("[^"]+",pid=[0-9]+,fd=[0-9]+\)(,\("[^"]+",pid=[0-9]+,fd=[0-9]+\))*\)$/)
		bad("users")
}
END { exit err }
