#!/usr/bin/env bats
# Differential tests for the socket families beyond TCP/UDP/UNIX: RAW
# (ICMP, ICMPv6), PACKET (raw and dgram), NETLINK (several protocols,
# bound groups, connected), MPTCP, and SCTP/DCCP/VSOCK/TIPC/XDP where the
# kernel has them, each compared byte for byte with /usr/bin/ss on the same
# sockets in a private namespace.
#
# Netlink listings include each ss's own sock_diag socket ("tcpdiag:ss/PID"
# against "tcpdiag:sockbox/PID", or "4:PID" with -n): nl_compare drops that
# one row from both outputs. The fixture's process name is longer than
# "sockbox/PID", so the dropped row never sets a column width.

load lib/common

# Skip unless this build has CONFIG_$1.
need_config() {
	dry_run && return 0
	grep -q "^CONFIG_$1=y" "$TESTS_DIR/../.config" 2>/dev/null ||
		skip "CONFIG_$1 is off in this build"
}

setup_file() {
	netns_setup
	fixture_start \
		"raw 127.0.0.1 1" \
		"raw ::1 58" \
		"raw 0.0.0.0 1" \
		"packet raw 0x0003" \
		"packet raw 0x88cc" \
		"packet dgram 0x0800 dev=lo" \
		"packet dgram 0x86dd" \
		"packet raw 0x1234 dev=lo" \
		"packet dgram 0" \
		"netlink 0 groups=0x1" \
		"netlink 15 groups=0x1" \
		"netlink 16 connect" \
		"netlink 2 groups=0x5" \
		"netlink 0" \
		"tcp-listen 127.0.0.1 5555 mptcp" \
		"tcp-pair 127.0.0.1 5555 mptcp sport=40100" \
		"tcp-listen ::1 5556 mptcp" \
		"tcp-listen 127.0.0.1 22" \
		"udp-bind 127.0.0.1 53" \
		"name longnamefixture"
}

teardown_file() {
	netns_teardown
}

setup() {
	netns_require
}

# Drop each ss's own sock_diag row, then compare.
nl_compare() {
	ss_run_both "$@"
	local d=$BATS_TEST_TMPDIR f
	for f in ref sb; do
		grep -Ev '(tcpdiag:(ss|sockbox|sockbox-san)/|[ :]4:)[1-9][0-9]* ' "$d/$f.out" >"$d/$f.x" || true
		mv "$d/$f.x" "$d/$f.out"
	done
	ss_assert_same "$@"
}

# --- RAW (from /proc/net/raw{,6} when the kernel has no raw_diag) --------

@test "ss -wa: raw ICMP and ICMPv6 sockets" {
	need_config RAW
	ss_compare -wa
	[ "$(ref_lines)" -eq 4 ]
}

@test "ss -wan, -wae, -wap" {
	need_config RAW
	ss_compare -wan
	ss_compare -wae
	ss_compare -wap
}

@test "ss -w -4 and -w -6" {
	need_config RAW
	ss_compare -wa4
	ss_compare -wa6
}

# --- PACKET -------------------------------------------------------------

@test "ss -0a: packet raw and dgram sockets" {
	need_config PACKET
	ss_compare -0a
	[ "$(ref_lines)" -eq 7 ]
}

@test "ss -0 (default state UNCONN), -0n, -0an" {
	need_config PACKET
	ss_compare -0
	ss_compare -0n
	ss_compare -0an
}

@test "ss -0ae and -0aep (details, processes)" {
	need_config PACKET
	ss_compare -0ae
	ss_compare -0aep
	ss_compare -0ap
}

@test "ss -0am, -0ame, -0abe (memory and filters after the details)" {
	need_config PACKET
	need_config SS_DETAILS
	ss_compare -0am
	ss_compare -0ame
	grep -q 'flags(.*skmem:(' "$BATS_TEST_TMPDIR/ref.out" || fail "no -e and -m text in the reference"
	ss_compare -0abe
}

@test "ss -A packet_raw / packet_dgram / p_raw,p_dgr and -f link" {
	need_config PACKET
	ss_compare -a -A packet_raw
	ss_compare -a -A packet_dgram
	ss_compare -a -A p_raw,p_dgr
	ss_compare -a -f link
	ss_compare -f link -e
}

# --- NETLINK ------------------------------------------------------------

@test "ss -A netlink -a: netlink sockets with process names" {
	need_config NETLINK
	nl_compare -A netlink -a
	grep -q 'longnamefixture/' "$BATS_TEST_TMPDIR/ref.out"
	grep -q 'genl:longnamefixture/[0-9]* *0:0' "$BATS_TEST_TMPDIR/ref.out"
}

@test "ss -f netlink, -f netlink -n, -f netlink -e, -f netlink -p" {
	need_config NETLINK
	nl_compare -f netlink
	nl_compare -f netlink -n
	nl_compare -f netlink -e
	grep -q 'groups=0x00000005' "$BATS_TEST_TMPDIR/ref.out"
	nl_compare -f netlink -p
}

@test "ss --netlink is ss -f netlink" {
	need_config NETLINK
	dry_run && skip "--netlink is a sockbox extension"
	sockbox_cmd
	run ip netns exec "$NS" "${SB_SS[@]}" --netlink -n
	assert_success
	local a=$output
	run ip netns exec "$NS" "${SB_SS[@]}" -f netlink -n
	[ "$(grep -v ' 4:[1-9]' <<<"$a")" = "$(grep -v ' 4:[1-9]' <<<"$output")" ]
	[ "$(wc -l <<<"$a")" -gt 5 ]
}

# --- MPTCP --------------------------------------------------------------

@test "ss -M, -Ma, -Man, -Mae" {
	need_config MPTCP
	ss_compare -M
	ss_compare -Ma
	[ "$(ref_lines)" -ge 4 ]
	ss_compare -Man
	ss_compare -Mae
}

@test "ss -Mi, -Mami, -Mai -O: mptcp_info as iproute2 prints it" {
	need_config MPTCP
	need_config SS_DETAILS
	ss_compare -Mi
	grep -q 'token:' "$BATS_TEST_TMPDIR/ref.out" || fail "no mptcp_info in the reference output"
	ss_compare -Mami
	ss_compare -Mai -O
}

@test "ss -tM and -wM: MPTCP ports named in the protocol of the table before" {
	need_config MPTCP
	ss_compare -taM
	ss_compare -uaM
	ss_compare -waM
}

# --- all tables ---------------------------------------------------------

@test "ss -a -A all, ss -a (own netlink row dropped)" {
	nl_compare -a
	nl_compare -ae
	nl_compare -ap
}

@test "ss -A all and -A inet, -A raw,packet" {
	nl_compare -A all
	ss_compare -a -A inet
	ss_compare -a -A raw,packet
}

# --- families the kernel may not have ------------------------------------

# Skip with the reason unless the running kernel lists sockets of $1.
kernel_has() {
	case $1 in
	sctp) modprobe -q sctp 2>/dev/null || true; [ -e /proc/net/sctp ] || skip "kernel has no SCTP" ;;
	dccp) modprobe -q dccp_ipv4 2>/dev/null || true; [ -d /sys/module/dccp ] || skip "kernel has no DCCP" ;;
	tipc) modprobe -q tipc 2>/dev/null || true; [ -d /sys/module/tipc ] || skip "kernel has no TIPC" ;;
	vsock) modprobe -q vsock_loopback 2>/dev/null || true
	       [ -d /sys/module/vsock_loopback ] || skip "vsock_loopback cannot be loaded" ;;
	esac
}

@test "ss -S, -Sa (SCTP)" {
	need_config SCTP
	kernel_has sctp
	ss_compare -S
	ss_compare -Sa
}

@test "ss -d, -da (DCCP)" {
	need_config DCCP
	kernel_has dccp
	ss_compare -d
	ss_compare -da
}

@test "ss --tipc, --tipc --tipcinfo (TIPC)" {
	need_config TIPC
	kernel_has tipc
	ss_compare --tipc -a
	ss_compare --tipc -a --tipcinfo
}

@test "ss --vsock (VSOCK)" {
	need_config VSOCK
	kernel_has vsock
	ss_compare --vsock -a
}

@test "families without a diag module list nothing, quietly" {
	# VSOCK, TIPC and XDP have no diag here (or only an empty table):
	# both tools print the header alone and nothing on stderr.
	local sym args
	for sym in VSOCK:--vsock XDP:--xdp TIPC:--tipc SCTP:-S DCCP:-d; do
		dry_run || grep -q "^CONFIG_${sym%%:*}=y" "$TESTS_DIR/../.config" || continue
		args="${sym#*:} -a"
		# shellcheck disable=SC2086
		ss_run_both $args
		[ "$(wc -l <"$BATS_TEST_TMPDIR/ref.out")" -le 1 ] || continue
		# shellcheck disable=SC2086
		ss_assert_same $args
		[ ! -s "$BATS_TEST_TMPDIR/sb.err" ] || fail "stderr for $args: $(cat "$BATS_TEST_TMPDIR/sb.err")"
	done
}

@test "a family left out of the build is an error, not an empty table" {
	dry_run && skip "sockbox's build configuration"
	sockbox_cmd
	local sym opt n=0
	for sym in PACKET:-0 NETLINK:--netlink SCTP:-S DCCP:-d MPTCP:-M VSOCK:--vsock TIPC:--tipc XDP:--xdp; do
		grep -q "^CONFIG_${sym%%:*}=y" "$TESTS_DIR/../.config" && continue
		opt=${sym#*:}
		run "${SB_SS[@]}" "$opt"
		assert_failure 1
		assert_output "ss: ${sym%%:*} sockets are not enabled in this build"
		n=$((n + 1))
	done
	[ "$n" -gt 0 ] || skip "every family is built in"
}
