#!/usr/bin/env bats
# Differential tests: "sockbox ss ARGS" must print exactly what /usr/bin/ss
# ARGS prints (stdout to a file, so no terminal width) and exit the same way,
# over one rich socket population held by a single fixture in a private
# network namespace.  Output is compared raw: both tools list in kernel order.
#
# Tables that include netlink sockets (-a, -l without a table selection) use
# ss_compare_nonl: the ss process's own dump socket is listed there and can
# never match between two runs (see tests/lib/common.bash).  Packet sockets do
# not exist in the namespace, so -0 lists only the header.
# -e is only tested for unix: for TCP it implies -o, and the persist and
# TIME-WAIT timers tick between the two runs.

load lib/common

setup_file() {
	netns_setup
	local d=$BATS_FILE_TMPDIR
	fixture_start \
		"tcp-listen 127.0.0.1 5001" \
		"tcp-listen 0.0.0.0 22" \
		"tcp-listen :: 80" \
		"tcp-listen :: 443 v6only" \
		"tcp-listen ::1 8080" \
		"tcp-listen 127.0.0.1 8990 dev=lo" \
		"tcp-listen 127.0.0.1 57000 backlog=7" \
		"tcp-listen ::1 60177" \
		"tcp-pair 127.0.0.1 5001" \
		"send 1000" \
		"send-back 3000000" \
		"tcp-pair ::1 8080" \
		"send 4242" \
		"tcp-pair ::ffff:127.0.0.1 80" \
		"tcp-pair ::ffff:127.0.0.1 22" \
		"tcp-pair 127.0.0.1 57000 sport=40001" \
		"tcp-pair ::1 60177 sport=60178" \
		"shutdown wr" \
		"tcp-pair 127.0.0.1 45000 sport=45001 dev=lo" \
		"tcp-timewait 127.0.0.1 6000 sport=6001" \
		"tcp-timewait ::1 6002 sport=6003" \
		"tcp-bind 127.0.0.1 7777" \
		"udp-bind 0.0.0.0 53" \
		"udp-bind :: 53" \
		"udp-bind ::1 5353 v6only" \
		"udp-bind 127.0.0.1 33434 dev=lo" \
		"udp-connect 127.0.0.1 53 sport=41000" \
		"udp-connect ::1 53" \
		"udp-pair 127.0.0.1 443" \
		"send 300" \
		"udp-pair ::1 37000" \
		"raw 0.0.0.0 1" \
		"raw :: 58" \
		"unix-listen $d/stream.sock" \
		"unix-connect $d/stream.sock" \
		"send 77" \
		"send-back 12" \
		"unix-listen @sockbox-abstract" \
		"unix-connect @sockbox-abstract" \
		"unix-listen $d/seq.sock seqpacket" \
		"unix-connect $d/seq.sock" \
		"unix-listen @sockbox-seq seqpacket" \
		"unix-bind $d/dgram.sock" \
		"unix-connect $d/dgram.sock" \
		"send 33" \
		"unix-bind @sockbox-dgram" \
		"unix-bind $d/stream-bound.sock stream" \
		"unix-pair" \
		"send 5" \
		"unix-pair dgram" \
		"unix-pair seqpacket" \
		"unix-socket" \
		"unix-socket dgram" \
		"unix-autobind" \
		"name sockfix-main" \
		"fork sockfix-child"
}

teardown_file() {
	netns_teardown
}

setup() {
	netns_require
	require_features SS
}

# --- no table selection -------------------------------------------------

@test "ss (no options: every table, connected states)" {
	ss_compare
	[ "$(ref_lines)" -gt 10 ]
}

@test "ss -a (all tables, all states; netlink rows dropped)" {
	ss_compare_nonl -a
	[ "$(ref_lines)" -gt 40 ]
}

@test "ss -an (numeric; netlink rows dropped)" {
	ss_compare_nonl -an
}

@test "ss -l (listening and unconnected; netlink rows dropped)" {
	ss_compare_nonl -l
}

@test "ss -n (numeric, connected)" {
	ss_compare -n
}

@test "ss -H (no header)" {
	ss_compare -H
}

# --- TCP ----------------------------------------------------------------

@test "ss -t (tcp, connected states)" {
	ss_compare -t
}

@test "ss -tn" {
	ss_compare -tn
}

@test "ss -ta (tcp all, service names)" {
	ss_compare -ta
}

@test "ss -tan" {
	ss_compare -tan
	[ "$(ref_lines)" -gt 15 ]
}

@test "ss -tl" {
	ss_compare -tl
}

@test "ss -tln" {
	ss_compare -tln
}

@test "ss -H -ltn" {
	ss_compare -H -ltn
}

@test "ss -Htn" {
	ss_compare -Htn
}

@test "ss -tan -4 (IPv4 only)" {
	ss_compare -tan -4
}

@test "ss -ta -6 (IPv6 only)" {
	ss_compare -ta -6
}

@test "ss -tan -6 -4 (last family flag wins)" {
	ss_compare -tan -6 -4
}

@test "ss -f inet6 -tna" {
	ss_compare -f inet6 -tna
}

# --- UDP and RAW --------------------------------------------------------

@test "ss -u (connected udp)" {
	ss_compare -u
}

@test "ss -ua" {
	ss_compare -ua
}

@test "ss -uan" {
	ss_compare -uan
}

@test "ss -ul" {
	ss_compare -ul
}

@test "ss -wa (raw: protocol names)" {
	ss_compare -wa
}

@test "ss -wan (raw: protocol numbers)" {
	ss_compare -wan
}

# --- mixed inet ---------------------------------------------------------

@test "ss -tuna" {
	ss_compare -tuna
}

@test "ss -ltun" {
	ss_compare -ltun
}

@test "ss -A tcp,udp" {
	ss_compare -A tcp,udp
}

@test "ss -A tcp,udp -a" {
	ss_compare -A tcp,udp -a
}

@test "ss -A inet" {
	ss_compare -A inet
}

@test "ss -A inet -an" {
	ss_compare -A inet -an
}

@test "ss -f inet -a" {
	ss_compare -f inet -a
}

@test "ss -f inet6 -a" {
	ss_compare -f inet6 -a
}

@test "ss -4 -a" {
	ss_compare -4 -a
}

@test "ss -6 -l" {
	ss_compare -6 -l
}

@test "ss -a -n -4 -6 (only IPv6 requested)" {
	ss_compare -a -n -4 -6
}

# --- unix ---------------------------------------------------------------

@test "ss -x (unix, connected)" {
	ss_compare -x
}

@test "ss -xa" {
	ss_compare -xa
	[ "$(ref_lines)" -gt 20 ]
}

@test "ss -xl" {
	ss_compare -xl
}

@test "ss -xan" {
	ss_compare -xan
}

@test "ss -xae (unix extended: no timers, so stable)" {
	ss_compare -xae
}

@test "ss -f unix" {
	ss_compare -f unix
}

@test "ss -f unix -a -H" {
	ss_compare -f unix -a -H
}

@test "ss -A unix_stream -a" {
	ss_compare -A unix_stream -a
}

@test "ss -A unix_dgram -a" {
	ss_compare -A unix_dgram -a
}

@test "ss -A unix_seqpacket -a" {
	ss_compare -A unix_seqpacket -a
}

@test "ss -A u_str,u_seq -l (short table names)" {
	ss_compare -A u_str,u_seq -l
}

@test "ss -t -u -x -l" {
	ss_compare -t -u -x -l
}

@test "ss -A 'all,!netlink' -a (exclusion)" {
	ss_compare -A 'all,!netlink' -a
	[ "$(ref_lines)" -gt 40 ]
}

@test "ss -tn state established" {
	ss_compare -tn state established
}

@test "ss -t state listening (State column hidden)" {
	ss_compare -t state listening
}

@test "ss -tan state time-wait" {
	ss_compare -tan state time-wait
}

@test "ss -tn state fin-wait-2 state close-wait" {
	ss_compare -tn state fin-wait-2 state close-wait
}

@test "ss -tun exclude established" {
	ss_compare -tun exclude established
}

@test "ss -x state connected" {
	ss_compare -x state connected
}

@test "ss -ta state bucket" {
	ss_compare -ta state bucket
}

# --- simple filter expressions ------------------------------------------

@test "ss -tan sport = :5001" {
	ss_compare -tan sport = :5001
}

@test "ss -tn dst [::1]" {
	ss_compare -tn dst '[::1]'
}

@test "ss -uan dport = :53" {
	ss_compare -uan dport = :53
}
