#!/usr/bin/env bats
# netstat's other modes against net-tools' /usr/bin/netstat in one
# namespace: routes in several tables (-r, -r -6, -e levels, -C), several
# interfaces with traffic (-i, -ia, -ie), multicast groups (-g), protocol
# statistics (-s), timers (-o) and continuous output (-c).

load lib/common

bats_require_minimum_version 1.5.0

REF_NETSTAT=${REF_NETSTAT:-/usr/bin/netstat}

nsx() { ip netns exec "$NS" "$@"; }

setup_file() {
	netns_setup
	[ -n "${NETNS_SKIP:-}" ] && return 0
	# names resolve from /etc/hosts; DNS fails at once (nothing on
	# [::1]:53) instead of timing out through the fake default route
	mkdir -p "/etc/netns/$NS"
	printf 'nameserver ::1\noptions timeout:1 attempts:1\n' >"/etc/netns/$NS/resolv.conf"
	fixture_start "name sbtabfix" \
		"tcp-listen 127.0.0.1 5001" "tcp-listen :: 8080" \
		"tcp-pair 127.0.0.1 5001 keepalive" "tcp-pair ::1 8080" "send 100" \
		"udp-bind 0.0.0.0 69" "udp-connect 127.0.0.1 69" "raw 0.0.0.0 1"
	# no router solicitations: they would go on for 12 s after link-up
	nsx sysctl -qw net.ipv6.conf.default.router_solicitations=0 \
		net.ipv6.conf.all.router_solicitations=0
	# interfaces: veth pairs, names that sort by number (sbe2 before
	# sbe10, as net-tools orders them), a pair left down
	nsx ip link add sbv0 type veth peer name sbv1
	nsx ip link add sbe10 type veth peer name sbe2
	nsx ip link add sbx0 type veth peer name sbx1
	nsx ip link set sbv0 mtu 1400 up
	nsx ip link set sbv1 up
	nsx ip link set sbe2 up
	nsx ip link set sbe10 up
	nsx ip addr add 192.0.2.5/24 dev sbv0
	nsx ip addr add 192.0.2.6/24 dev sbv1
	nsx ip addr add 10.20.0.1/24 dev sbe2
	nsx ip addr add 10.20.1.1/24 dev sbe2
	nsx ip addr add 2001:db8:1::5/64 dev sbv0 nodad
	nsx ip addr add 2001:db8:20::1/64 dev sbe2 nodad
	# multicast memberships (IPv4 and IPv6) without a socket
	nsx ip addr add 239.1.2.3/32 dev sbv0 autojoin
	nsx ip -6 addr add ff15::1234/128 dev sbv0 autojoin
	# routes: main table of every kind, metrics, other tables
	nsx ip route add default via 192.0.2.1
	nsx ip route add 198.51.100.0/25 via 192.0.2.9 metric 5
	nsx ip route add 10.9.9.9 dev sbv0
	nsx ip route add 10.30.0.0/16 via 192.0.2.3 advmss 1400 window 65535 rtt 80ms metric 7
	nsx ip route add unreachable 203.0.113.0/24
	nsx ip route add prohibit 198.51.100.128/25
	nsx ip route add blackhole 198.18.0.0/15
	nsx ip route add 10.1.0.0/16 via 192.0.2.2 table 100
	nsx ip route add 10.2.0.0/16 dev sbe2 table 200
	nsx ip -6 route add default via 2001:db8:1::1 dev sbv0
	nsx ip -6 route add 2001:db8:99::/48 via 2001:db8:1::1 metric 50
	nsx ip -6 route add unreachable 2001:db8:dead::/48
	nsx ip -6 route add 2001:db8:100::/48 dev sbe2 table 100
	nsx ip -6 route add 2001:db8:200::/48 via 2001:db8:1::2 table 200
	# traffic on every interface, to static neighbours (no ARP/ND retries)
	nsx ip neigh add 192.0.2.77 lladdr 02:00:00:00:00:77 dev sbv0 nud permanent
	nsx ip -6 neigh add 2001:db8:1::77 lladdr 02:00:00:00:00:77 dev sbv0 nud permanent
	nsx ip neigh add 10.20.0.77 lladdr 02:00:00:00:00:78 dev sbe2 nud permanent
	nsx bash -c 'for i in 1 2 3 4 5; do
		echo x >/dev/udp/192.0.2.77/9; echo y >/dev/udp/2001:db8:1::77/9
		echo z >/dev/udp/10.20.0.77/9; done' 2>/dev/null || true
	# link-up MLD/IGMP reports and DAD: wait until no counter moves for 2 s
	local i prev="" now
	for ((i = 0; i < 20; i++)); do
		sleep 1
		now=$(nsx cat /proc/net/dev)
		[ "$now" = "$prev" ] && [ "$i" -ge 2 ] && break
		prev=$now
	done
}

teardown_file() {
	[ -n "${NS:-}" ] && rm -rf "/etc/netns/$NS"
	netns_teardown
}

setup() {
	netns_require
	dry_run && skip "sockbox only"
	"$SOCKBOX" --list | grep -qx netstat || skip "netstat not in this build"
}

# net-tools' own UDP socket (for ioctls) is not ours to print
own_socket='^udp +0 +0 0\.0\.0\.0:(3[2-9][0-9]{3}|[4-6][0-9]{4}) +0\.0\.0\.0:\* '

# Skip when this build refuses a mode ("... is not enabled in this build").
need_mode() {
	if nsx "$SOCKBOX" netstat "$@" 2>&1 >/dev/null | grep -q "not enabled in this build"; then
		skip "netstat $* is not in this build"
	fi
}

run_ref() { nsx "$REF_NETSTAT" "$@" 2>/dev/null </dev/null | grep -Ev "$own_socket" || true; }

report() {
	local d=$BATS_TEST_TMPDIR
	{
		echo "MISMATCH for netstat $* (status: ref $REF_RC, sockbox $SB_RC)"
		diff -u --label "net-tools $*" --label "sockbox $*" "$d/ref.out" "$d/sb.out"
		head -3 "$d/sb.err"
	} | fail
}

# Byte-identical stdout and exit status.  When a counter moves between
# the runs (live traffic), the reference runs again after sockbox: then
# every word must equal the reference's, or for a word that differs
# between the two reference runs lie numerically between them.
netstat_compare() {
	local d=$BATS_TEST_TMPDIR
	REF_RC=0 SB_RC=0
	run_ref "$@" >"$d/ref.out"
	nsx "$REF_NETSTAT" "$@" >/dev/null 2>&1 </dev/null || REF_RC=$?
	nsx "$SOCKBOX" netstat "$@" >"$d/sb.out" 2>"$d/sb.err" </dev/null || SB_RC=$?
	[ "$(wc -l <"$d/ref.out")" -ge 2 ] || fail "reference printed almost nothing"
	[ "$REF_RC" = "$SB_RC" ] || report "$@"
	cmp -s "$d/ref.out" "$d/sb.out" && return 0
	run_ref "$@" >"$d/ref2.out"
	cmp -s "$d/ref.out" "$d/ref2.out" && report "$@"
	awk -v out="$d/why" '
		FNR == 1 { f++ }
		{ line[f, FNR] = $0; n[f] = FNR }
		END {
			if (n[1] != n[2] || n[1] != n[3]) { print "line count" > out; exit 1 }
			for (i = 1; i <= n[1]; i++) {
				a = split(line[1, i], r1); b = split(line[2, i], s); c = split(line[3, i], r2)
				if (a != b || a != c) { print "words in line " i > out; exit 1 }
				for (k = 1; k <= a; k++) {
					if (r1[k] == r2[k] ? s[k] == r1[k] : s[k] "" == s[k] + 0 && \
					    s[k] + 0 >= r1[k] + 0 && s[k] + 0 <= r2[k] + 0)
						continue
					if (r1[k] != r2[k] && s[k] ~ /^\(?[0-9.]+$/) {
						gsub(/[()]/, "", s[k]); gsub(/[()]/, "", r1[k]); gsub(/[()]/, "", r2[k])
						if (s[k] + 0 >= r1[k] + 0 && s[k] + 0 <= r2[k] + 0) continue
					}
					print "line " i " word " k ": " s[k] > out; exit 1
				}
			}
		}' "$d/ref.out" "$d/sb.out" "$d/ref2.out" || { cat "$d/why" >&2; report "$@"; }
}

# -o: the seconds left on a timer tick between runs; the timer's name and
# its retransmit and probe counts must still match.
netstat_compare_timers() {
	local d=$BATS_TEST_TMPDIR f
	REF_RC=0 SB_RC=0
	run_ref "$@" >"$d/ref.out"
	nsx "$SOCKBOX" netstat "$@" >"$d/sb.out" 2>"$d/sb.err" </dev/null || SB_RC=$?
	for f in ref sb; do
		sed -E -i 's/ (on|keepalive|timewait|probe) \([0-9]+\.[0-9]{2}\//\1 (T\//' "$d/$f.out"
	done
	grep -q ' off (0\.00/0/0)$' "$d/ref.out" || fail "no timer column in the reference"
	cmp -s "$d/ref.out" "$d/sb.out" || report "$@"
}

# -c: both run 2.5 s; their first ROUNDS rounds (starting at MARKER
# lines) must match: net-tools prints "Kernel Interface table" only once.
netstat_compare_cont() {
	local d=$BATS_TEST_TMPDIR rounds=$1 marker=$2 f
	shift 2
	REF_RC=0 SB_RC=0
	# both at once: each runs its 2.5 s
	{ nsx timeout -s INT 2.5 "$REF_NETSTAT" "$@" 2>/dev/null </dev/null |
		grep -Ev "$own_socket" >"$d/ref.full" || true; } &
	nsx timeout -s INT 2.5 "$SOCKBOX" netstat "$@" >"$d/sb.full" 2>"$d/sb.err" </dev/null || true
	wait $!
	for f in ref sb; do
		[ "$(grep -c -- "$marker" "$d/$f.full")" -gt "$rounds" ] ||
			fail "$f printed only $(grep -c -- "$marker" "$d/$f.full") rounds"
		awk -v m="$marker" -v r="$rounds" '$0 ~ m && ++n > r { exit } { print }' \
			"$d/$f.full" >"$d/$f.out"
	done
	cmp -s "$d/ref.out" "$d/sb.out" || report "$@"
}

@test "netstat -rn (main table: gateway, host, metric, reject, blackhole)" { netstat_compare -rn; }
@test "netstat -r" { netstat_compare -r; }
@test "netstat -re" { netstat_compare -re; }
@test "netstat -ree" { netstat_compare -ree; }
@test "netstat -rne" { netstat_compare -rne; }
@test "netstat -rnee" { netstat_compare -rnee; }
@test "netstat -rN (numeric)" { netstat_compare -rN; }
@test "netstat --route --numeric --extend" { netstat_compare --route --numeric --extend; }
@test "netstat -r -6 (every table)" { netstat_compare -r -6; }
@test "netstat -rn -6" { netstat_compare -rn -6; }
@test "netstat -A inet6 -rn" { netstat_compare -A inet6 -rn; }
@test "netstat -ree -6" { netstat_compare -ree -6; }
@test "netstat -rn -4 -6 (both, in order)" { netstat_compare -rn -4 -6; }
@test "netstat -rn -A inet6,inet" { netstat_compare -rn -A inet6,inet; }
@test "netstat -rC (cache)" { netstat_compare -rC; }
@test "netstat -rCe" { netstat_compare -rCe; }
@test "netstat -rCee" { netstat_compare -rCee; }
@test "netstat -rnFC (table and cache)" { netstat_compare -rnFC; }
@test "netstat -rnC -6" { netstat_compare -rnC -6; }
@test "netstat -i" { netstat_compare -i; }
@test "netstat -ia (down interfaces too)" { netstat_compare -ia; }
@test "netstat -in" { netstat_compare -in; }
@test "netstat -ie" { need_mode -ie; netstat_compare -ie; }
@test "netstat -iea" { need_mode -ie; netstat_compare -iea; }
@test "netstat --interfaces --extend --all" { need_mode -ie; netstat_compare --interfaces --extend --all; }
@test "netstat -g" { netstat_compare -g; }
@test "netstat -gn" { netstat_compare -gn; }
@test "netstat -g -4" { netstat_compare -g -4; }
@test "netstat -g -6" { netstat_compare -g -6; }
@test "netstat -gt (sockets and groups)" { netstat_compare -gt; }
@test "netstat -s" { need_mode -s; netstat_compare -s; }
@test "netstat -st" { need_mode -s; netstat_compare -st; }
@test "netstat -su" { need_mode -s; netstat_compare -su; }
@test "netstat -sw" { need_mode -s; netstat_compare -sw; }
@test "netstat -stu" { need_mode -s; netstat_compare -stu; }
@test "netstat -s -6" { need_mode -s; netstat_compare -s -6; }
@test "netstat -s -6 -t" { need_mode -s; netstat_compare -s -6 -t; }
@test "netstat -s -6 -u" { need_mode -s; netstat_compare -s -6 -u; }
@test "netstat --statistics --inet" { need_mode -s; netstat_compare --statistics --inet; }
@test "netstat -s -A inet,inet6 (no statistics for a list)" {
	need_mode -s
	run --separate-stderr nsx "$SOCKBOX" netstat -s -A inet,inet6
	[ "$status" -eq 1 ]
	[ "$output" = "$(nsx "$REF_NETSTAT" -s -A inet,inet6 2>/dev/null)" ]
	[ "$output" = "netstat: No statistics support for specified address family: inet,inet6" ]
}
@test "netstat -tano (timers)" { netstat_compare_timers -tano; }
@test "netstat -tanop" { netstat_compare_timers -tanop; }
@test "netstat -uano" { netstat_compare_timers -uano; }
@test "netstat -wano" { netstat_compare_timers -wano; }
@test "netstat -tanoe" { netstat_compare_timers -tanoe; }
@test "netstat -tanc (continuous)" { netstat_compare_cont 2 "^Active Internet" -tanc; }
@test "netstat -ic (header once)" { netstat_compare_cont 2 "^Iface" -ic; }
@test "netstat -rnc" { netstat_compare_cont 2 "^Kernel IP routing" -rnc; }
@test "netstat -gnc" {
	# net-tools garbles IPv4 groups from its second round on: one round
	netstat_compare_cont 1 "^IPv6/IPv4" -gnc
}

@test "netstat -c stops cleanly on a closed pipe and on SIGINT" {
	run bash -c "ip netns exec '$NS' '$SOCKBOX' netstat -tanc | head -2; exit \${PIPESTATUS[0]}"
	[ "$status" -eq 141 ] || [ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	run nsx timeout -s INT 1.5 "$SOCKBOX" netstat -rnc
	[ "$status" -eq 124 ] || [ "$status" -eq 130 ]
}

@test "netstat: mode conflicts, unknown families, -Z, -h as net-tools" {
	run --separate-stderr "$SOCKBOX" netstat -r -i
	[ "$status" -eq 3 ]
	run --separate-stderr "$SOCKBOX" netstat -s -M
	[ "$status" -eq 3 ]
	run --separate-stderr "$SOCKBOX" netstat -A foo
	[ "$status" -eq 1 ]
	[ "$stderr" = "Unknown address family \`foo'." ]
	run --separate-stderr "$SOCKBOX" netstat -Z
	[ "$status" -eq 1 ]
	[ "$stderr" = "SELinux is not enabled on this machine." ]
	run --separate-stderr "$SOCKBOX" netstat -r -A unix
	[ "$status" -eq 3 ]
	[ "$stderr" = "No routing for address family \`unix'." ]
	diff <("$REF_NETSTAT" -h 2>/dev/null) <("$SOCKBOX" netstat -h 2>/dev/null)
	run "$SOCKBOX" netstat -h
	[ "$status" -eq 0 ]
}
