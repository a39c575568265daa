# Strict check of `ss -tan`-style output (piped, compact columns): the
# header, then rows of State, two queue numbers, local and peer address:port.
# Prints each bad line with its number and exits 1 if there was one.
function bad(why) { printf "line %d: %s: %s\n", NR, why, $0; err = 1 }
NR == 1 {
	if ($0 !~ /^State +Recv-Q +Send-Q +Local Address:Port +Peer Address:Port *Process$/)
		bad("header")
	next
}
{
	if (NF != 5) { bad("fields"); next }
	if ($1 !~ /^(ESTAB|SYN-SENT|SYN-RECV|FIN-WAIT-1|FIN-WAIT-2|TIME-WAIT|UNCONN|CLOSE-WAIT|LAST-ACK|LISTEN|CLOSING)$/)
		bad("state")
	if ($2 !~ /^[0-9]+$/ || $3 !~ /^[0-9]+$/) bad("queues")
	for (i = 4; i <= 5; i++)
		if ($i !~ /^(\*|[0-9.]+|\[[0-9a-f:.]+\])(%[a-z0-9]+)?:(\*|[0-9]+)$/)
			bad("address " i - 3)
}
END { exit err }
