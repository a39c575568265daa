#!/usr/bin/env bats
# Differential tests of ss's detail options (-m -i -o -e -p -T -O -s -r -D
# --tos --cgroup --inet-sockopt -b -Z -z) against /usr/bin/ss on one idle
# fixture in a private namespace.  The outputs pass through ss_mask
# (tests/lib/common.bash) first: it replaces, field by field, only values
# that tick between the two runs (timer remaining time, rtt/rto/ato/minrtt,
# rates, lastsnd/lastrcv/lastack, busy times, -s's global TCP allocation
# count) and the padding after the last column that follows their widths.
# Every field name, every other value and the layout are compared.  The
# fixture keeps its flows idle (small sends, no full windows), so byte and
# segment counters, windows and skmem stay put and are compared as they are.
# No TIME-WAIT entry: it expires (60 s) while the suite runs.
#
# A second fixture holds TCP MD5 keys (several per socket, IPv4 and IPv6
# peers, prefixes, bytes iproute2 escapes) and a third MPTCP connections,
# whose TCP subflows carry the tcp-ulp-mptcp details; each only when the
# kernel can (probed first: MD5_OK, MPTCP_OK).

bats_require_minimum_version 1.5.0
load lib/common

setup_file() {
	netns_setup
	[ -n "${NS:-}" ] || return 0
	local d=$BATS_FILE_TMPDIR
	fixture_start \
		"name sbdet-main" \
		"tcp-listen 127.0.0.1 5001 cong=cubic" \
		"tcp-listen 0.0.0.0 22 keepalive" \
		"tcp-listen :: 80 tos=32" \
		"tcp-listen :: 443 v6only" \
		"tcp-listen ::1 8080 cong=reno" \
		"tcp-listen 127.0.0.1 8990 cong=bbr" \
		"tcp-listen 127.0.0.1 7000 freebind tos=16" \
		"tcp-pair 127.0.0.1 5001" \
		"send 1000" \
		"send-back 3000" \
		"tcp-pair 127.0.0.1 22 keepalive" \
		"tcp-pair ::1 8080" \
		"send 4242" \
		"tcp-pair ::ffff:127.0.0.1 80" \
		"tcp-pair 127.0.0.1 8990" \
		"send 100" \
		"tcp-pair 127.0.0.1 7000" \
		"shutdown wr" \
		"udp-bind 0.0.0.0 53 tos=8" \
		"udp-bind :: 53" \
		"udp-pair 127.0.0.1 443" \
		"send 300" \
		"udp-pair ::1 37000" \
		"raw 0.0.0.0 1" \
		"raw :: 58" \
		"unix-listen $d/stream.sock" \
		"unix-connect $d/stream.sock" \
		"send 77" \
		"send-back 12" \
		"unix-listen @sbdet-abstract" \
		"unix-connect @sbdet-abstract" \
		"unix-bind $d/dgram.sock" \
		"unix-pair seqpacket" \
		"fork sbdet-child" \
		"tcp-pair 127.0.0.1 5001 sport=40123"
	# kernel support: sockfix exits 1 when a socket cannot be made, and
	# is still waiting (killed by timeout, 124) when it could
	export MD5_OK="" MPTCP_OK=""
	local rc=0
	timeout 2 ip netns exec "$NS" "$SOCKFIX" "tcp-listen 127.0.0.1 0 md5=10.0.0.1:k" >/dev/null 2>&1 || rc=$?
	[ "$rc" != 124 ] || MD5_OK=1
	rc=0
	ip netns exec "$NS" sysctl -qw net.mptcp.enabled=1 2>/dev/null || true
	timeout 2 ip netns exec "$NS" "$SOCKFIX" "tcp-listen 127.0.0.1 0 mptcp" >/dev/null 2>&1 || rc=$?
	[ "$rc" != 124 ] || MPTCP_OK=1
	[ -z "$MD5_OK" ] || fixture_start \
		"name sbdet-md5" \
		'tcp-listen 127.0.0.1 179 md5=10.1.2.3:hello md5=10.0.0.0/8:a\x20b,c\x5cd\x01\xff\x00z md5=127.0.0.1:pairkey' \
		"tcp-listen :: 180 md5=2001:db8::/32:k6 md5=::ffff:10.9.9.9:mapped md5=fe80::1/128:ifk md5=::1:v6peer" \
		"tcp-listen 127.0.0.1 1790 md5=10.20.30.40:$(printf 'k%.0s' {1..80}) md5=192.0.2.0/24:x\x3ay" \
		"tcp-pair 127.0.0.1 179 md5=127.0.0.1:pairkey" \
		"send 10" \
		"tcp-pair ::1 180 md5=::1:v6peer" \
		"send-back 20"
	[ -z "$MPTCP_OK" ] || fixture_start \
		"name sbdet-mptcp" \
		"tcp-listen 127.0.0.1 5555 mptcp" \
		"tcp-pair 127.0.0.1 5555 mptcp sport=40100" \
		"send 100" \
		"tcp-listen ::1 5556 mptcp" \
		"tcp-pair ::1 5556 mptcp" \
		"send-back 50"
}

teardown_file() {
	netns_teardown
}

setup() {
	netns_require
	dry_run && return 0
	# a build without CONFIG_SS_DETAILS says so for every option here
	if "$SOCKBOX" ss -m -H -A unix_dgram 2>&1 >/dev/null | grep -q 'not enabled in this build'; then
		skip "CONFIG_SS_DETAILS is off in this build"
	fi
}

need_md5() { [ -n "$MD5_OK" ] || skip "this kernel has no TCP MD5 signatures (CONFIG_TCP_MD5SIG)"; }
need_mptcp() { [ -n "$MPTCP_OK" ] || skip "this kernel has no MPTCP (or net.mptcp.enabled=0)"; }

# -r is behind CONFIG_SS_RESOLVE
require_resolve() {
	require_features SS_RESOLVE
}

# every test: masked comparison, and something to compare
cmp_masked() {
	ss_compare_masked "$@"
	[ "$(ref_lines)" -gt 1 ] || fail "reference printed only $(ref_lines) line(s) for ss $*"
}

@test "ss -tulpn" { cmp_masked -tulpn; }
@test "ss -tanp" { cmp_masked -tanp; }
@test "ss -tanpe" { cmp_masked -tanpe; }
@test "ss -tanoi" { cmp_masked -tanoi; }
@test "ss -tanm" { cmp_masked -tanm; }
@test "ss -tiO" { cmp_masked -tiO; }
@test "ss -xp" { cmp_masked -xp; }
@test "ss -uapn" { cmp_masked -uapn; }
@test "ss -tanT" { cmp_masked -tanT; }
@test "ss -tanmi" { cmp_masked -tanmi; }
@test "ss -tani" { cmp_masked -tani; }
@test "ss -tanie (tcp option flags come with -o/-e)" { cmp_masked -tanie; }
@test "ss -tanmiO" { cmp_masked -tanmiO; }
@test "ss -taneO" { cmp_masked -taneO; }
@test "ss -tano" { cmp_masked -tano; }
@test "ss -ltni" { cmp_masked -ltni; }
@test "ss -ltnm" { cmp_masked -ltnm; }
@test "ss -4tanmi" { cmp_masked -4tanmi; }
@test "ss -6tanmi" { cmp_masked -6tanmi; }
@test "ss -tanmi state established" { cmp_masked -tanmi state established; }
@test "ss -tnmi dst 127.0.0.1" { cmp_masked -tnmi dst 127.0.0.1; }
@test "ss -Htanmi" { cmp_masked -Htanmi; }
@test "ss -tan --tos" { cmp_masked -tan --tos; }
@test "ss -uan --tos" { cmp_masked -uan --tos; }
@test "ss -tan --cgroup" { cmp_masked -tan --cgroup; }
@test "ss -uan --cgroup" { cmp_masked -uan --cgroup; }
@test "ss -tan --inet-sockopt" { cmp_masked -tan --inet-sockopt; }
@test "ss -uan --inet-sockopt" { cmp_masked -uan --inet-sockopt; }
@test "ss -tan --inet-sockopt -O" { cmp_masked -tan --inet-sockopt -O; }
@test "ss -tanpemi --tos --cgroup --inet-sockopt" { cmp_masked -tanpemi --tos --cgroup --inet-sockopt; }
@test "ss -tanpemi --tos --cgroup --inet-sockopt -O" { cmp_masked -tanpemi --tos --cgroup --inet-sockopt -O; }
@test "ss -uanm" { cmp_masked -uanm; }
@test "ss -ui (nothing for UDP)" { cmp_masked -ui; }
@test "ss -uami" { cmp_masked -uami; }
@test "ss -uamO" { cmp_masked -uamO; }
@test "ss -wanm" { cmp_masked -wanm; }
@test "ss -wani" { cmp_masked -wani; }
@test "ss -xm" { cmp_masked -xm; }
@test "ss -xam" { cmp_masked -xam; }
@test "ss -xame" { cmp_masked -xame; }
@test "ss -xamO" { cmp_masked -xamO; }
@test "ss -xai (nothing for unix)" { cmp_masked -xai; }
@test "ss -xapm" { cmp_masked -xapm; }
@test "ss -tanb (-b implies -o)" { cmp_masked -tanb; }
@test "ss -0b (packet filters)" {
	dry_run || ! "$SOCKBOX" ss -0b -H 2>&1 | grep -q 'not implemented\|not enabled' ||
		skip "packet sockets are not listed by this build yet"
	ss_compare_masked -0b
}
@test "ss -tanr" { require_resolve; cmp_masked -tanr; }
@test "ss -uanr" { require_resolve; cmp_masked -uanr; }
@test "ss -tar (service names and host names)" { require_resolve; cmp_masked -tar; }
@test "ss -A 'all,!netlink' -m" { cmp_masked -A 'all,!netlink' -am; }

# --- TCP MD5 keys and MPTCP subflow details (-i, root only) ---
# iproute2 6.1 prints each key with printf while the rows wait in its
# buffer: the escaped keys of all sockets come before the header, and the
# rows show "md5keys:ADDR/PLEN=,..." with nothing after each '='.

# cmp_masked, and the reference printed what the test is about
cmp_has() {
	local want=$1
	shift
	cmp_masked "$@"
	grep -q -- "$want" "$BATS_TEST_TMPDIR/ref.out" || fail "no '$want' in the reference output of ss $*"
}

@test "ss -tni: MD5 keys, several per socket, IPv4/IPv6 peers and prefixes" {
	need_md5
	cmp_has 'md5keys:127.0.0.1/32=$' -tni
	cmp_has 'md5keys:::1/128=$' -tni
	# the keys, escaped, before the header; listeners' keys too with -a
	cmp_has '^pairkeypairkeyv6peerv6peerState' -tni
	cmp_has 'md5keys:::1/128=,fe80::1/128=,10.9.9.9/32=,2001:db8::/32=' -tani
	cmp_has 'a\\040b\\054c\\134d\\001\\377\\000z' -tani
}
@test "ss -tlni, -tanie, -tiO, -tanmi: MD5 keys" {
	need_md5
	cmp_has 'md5keys:127.0.0.1/32=,10.0.0.0/8=,10.1.2.3/32=' -tlni
	cmp_has 'md5keys:192.0.2.0/24=,10.20.30.40/32=' -tanie
	cmp_has 'md5keys:' -tiO
	cmp_has 'md5keys:' -tanmi
	cmp_has 'md5keys:' -tlmiO
}
@test "ss -tni with filters: MD5 keys of the selected sockets only" {
	need_md5
	cmp_has 'md5keys:127.0.0.1/32=' -tni sport = :179
	cmp_has 'md5keys:::1/128=' -tani src [::]:180
	cmp_has 'md5keys:' -6tani
	cmp_has 'md5keys:' -4tlni
	cmp_has 'md5keys:' -tani state listening '(' sport = :1790 or sport = :179 ')'
}
@test "ss -tlir: MD5 key addresses resolved as the socket addresses are" {
	need_md5
	require_resolve
	cmp_has 'md5keys:' -tlir
}
@test "ss -tm (no -i): no MD5 keys (the kernel sends them with INET_DIAG_INFO only)" {
	need_md5
	cmp_masked -tanm
	! grep -q 'md5keys' "$BATS_TEST_TMPDIR/ref.out"
}
@test "ss -tni: MPTCP subflows' tcp-ulp-mptcp flags, token, seq, sfseq, ssnoff, maplen" {
	need_mptcp
	cmp_has 'tcp-ulp-mptcp flags:[MmJjBbecv]* token:[0-9a-f]*(id:[0-9]*)/[0-9a-f]*(id:[0-9]*) seq:[0-9a-f]* sfseq:[0-9a-f]* ssnoff:[0-9a-f]* maplen:[0-9a-f]*' -tni
	cmp_has 'tcp-ulp-mptcp' -tanie
	cmp_has 'tcp-ulp-mptcp' -tiO
	cmp_has 'tcp-ulp-mptcp' -tanmi sport = :5556 or dport = :5556
	cmp_has 'tcp-ulp-mptcp flags:' -4tni
}
@test "ss -tanMi, -Mi, -tMiO: MPTCP sockets and their subflows together" {
	need_mptcp
	require_features MPTCP
	cmp_has 'tcp-ulp-mptcp flags:' -tanMi
	cmp_has 'remote_key token:' -tanMi
	cmp_masked -Mi
	cmp_has 'tcp-ulp-mptcp' -tMiO
}
@test "ss -tani as nobody: no MD5 keys, MPTCP subflows without sequence numbers" {
	[ -n "$MD5_OK$MPTCP_OK" ] || skip "this kernel has neither MD5 keys nor MPTCP"
	command -v setpriv >/dev/null || skip "no setpriv(1)"
	local d=$BATS_TEST_TMPDIR as=(ip netns exec "$NS" setpriv --reuid=65534 --regid=65534 --clear-groups)
	sockbox_cmd
	REF_RC=0 SB_RC=0
	"${as[@]}" "$REF_SS" -tani >"$d/ref.out" 2>"$d/ref.err" || REF_RC=$?
	"${as[@]}" "${SB_SS[@]}" -tani >"$d/sb.out" 2>"$d/sb.err" || SB_RC=$?
	ss_mask "$d/ref.out"
	ss_mask "$d/sb.out"
	ss_assert_same -tani as nobody
	! grep -q 'md5keys\|seq:' "$d/ref.out"
	[ -z "$MPTCP_OK" ] || grep -q 'tcp-ulp-mptcp flags:' "$d/ref.out"
}

@test "ss -s" {
	ss_compare_masked -s
	assert_equal "$(ref_lines)" 10
}
@test "ss -s -tan (summary, then the sockets)" { cmp_masked -s -tan; }
@test "ss -s with PROC_ROOT (files iproute2 reads)" {
	local p=$BATS_TEST_TMPDIR/proc
	mkdir -p "$p/net"
	printf '%s\n' 'sockets: used 321' 'TCP: inuse 7 orphan 2 tw 3 alloc 12 mem 5' \
		'UDP: inuse 4 mem 1' 'UDPLITE: inuse 0' 'RAW: inuse 1' 'FRAG: inuse 6 memory 0' >"$p/net/sockstat"
	printf '%s\n' 'TCP6: inuse 5' 'UDP6: inuse 2' 'UDPLITE6: inuse 0' 'RAW6: inuse 1' \
		'FRAG6: inuse 1 memory 0' >"$p/net/sockstat6"
	printf '%s\n' 'Ip: Forwarding DefaultTTL' 'Ip: 1 64' \
		'Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab InSegs' \
		'Tcp: 1 200 120000 -1 13 2 0 0 9 3176' >"$p/net/snmp"
	PROC_ROOT=$p ss_compare -s
	assert_equal "$(head -2 "$BATS_TEST_TMPDIR/sb.out" | tr '\n' '|')" \
		"Total: 321|TCP:   15 (estab 9, closed 3, orphaned 2, timewait 3)|"
	PROC_NET_SNMP=/nonexistent PROC_ROOT=$p ss_compare -s
	grep -q 'estab 0' "$BATS_TEST_TMPDIR/sb.out"
	grep -q 'get_snmpstat' "$BATS_TEST_TMPDIR/sb.err"
}

@test "ss -Z and -z without SELinux: error, exit 1, nothing on stdout" {
	ss_compare -tZ
	assert_equal "$SB_RC" 1
	ss_compare -tz
	assert_equal "$(cat "$BATS_TEST_TMPDIR/sb.err")" "ss: SELinux is not enabled."
}

# -D output holds sequence numbers and port ids, which differ by design:
# compare what iproute2 itself reads back from both files (TCPDIAG_FILE
# replays a dump up to its first NLMSG_DONE, so -4 keeps it to one), and
# the datagrams' message types and lengths.
@test "ss -D FILE: raw TCP diag messages iproute2 can replay" {
	local d=$BATS_TEST_TMPDIR
	sockbox_cmd
	ip netns exec "$NS" "$REF_SS" -4 -D "$d/ref.diag"
	ip netns exec "$NS" "${SB_SS[@]}" -4 -D "$d/sb.diag"
	[ -s "$d/sb.diag" ]
	TCPDIAG_FILE=$d/ref.diag "$REF_SS" -tan >"$d/ref.out" 2>/dev/null || true
	TCPDIAG_FILE=$d/sb.diag "$REF_SS" -tan >"$d/sb.out" 2>/dev/null || true
	REF_RC=0 SB_RC=0 ss_assert_same "-D replay"
	[ "$(ref_lines)" -gt 3 ]
	shape() { python3 -c 'import struct,sys
b=open(sys.argv[1],"rb").read(); o=0
while o+16<=len(b):
    l,t=struct.unpack_from("=IH",b,o); print(t,l); o+=(l+3)&~3' "$1"; }
	assert_equal "$(shape "$d/sb.diag")" "$(shape "$d/ref.diag")"
}

@test "ss -D - writes to stdout, both families, -m extensions" {
	local d=$BATS_TEST_TMPDIR
	sockbox_cmd
	ip netns exec "$NS" "${SB_SS[@]}" -m -D - >"$d/sb.diag"
	ip netns exec "$NS" "$REF_SS" -m -D - >"$d/ref.diag"
	shape() { python3 -c 'import struct,sys
b=open(sys.argv[1],"rb").read(); o=0
while o+16<=len(b):
    l,t=struct.unpack_from("=IH",b,o); print(t,l); o+=(l+3)&~3' "$1"; }
	assert_equal "$(shape "$d/sb.diag")" "$(shape "$d/ref.diag")"
	[ "$(shape "$d/sb.diag" | wc -l)" -gt 5 ]
}

@test "ss -x -D: no TCP selected, a message and exit 0 as iproute2" {
	ss_compare -x -D "$BATS_TEST_TMPDIR/none.diag"
	run cat "$BATS_TEST_TMPDIR/sb.err"
	assert_output "ss: tcpdiag dump requested and no tcp in filter."
}

@test "ss -D /dev/full: write error reported, non-zero exit" {
	sockbox_cmd
	dry_run && skip "iproute2 ignores the error (exit 0)"
	run -1 ip netns exec "$NS" "${SB_SS[@]}" -t -D /dev/full
	assert_output "ss: -D /dev/full: write error: No space left on device"
	run -1 ip netns exec "$NS" "${SB_SS[@]}" -t -D /nonexistent/dir/f
	assert_output "ss: -D /nonexistent/dir/f: No such file or directory"
}
