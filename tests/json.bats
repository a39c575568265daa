#!/usr/bin/env bats
# --json of ss and netstat: every output valid against
# docs/sockbox-json.schema.json (as the table kind it claims to be), parsed
# by jq, and saying the same as the text output of the same sockets: our
# own text where this build has it, iproute2's for ss -m -i --tos --cgroup
# (whose text lands with the details work).

load lib/common

bats_require_minimum_version 1.5.0

SCHEMA=$TESTS_DIR/../docs/sockbox-json.schema.json
VALIDATE=$TESTS_DIR/lib/json-validate
HOSTILE=$TESTS_DIR/fixture/hostile

# jq program: one socket object -> the text row ss -n prints, fields joined
# by single spaces (the text side is squeezed the same way).
TO_TEXT='
def st: {"established":"ESTAB","syn-sent":"SYN-SENT","syn-recv":"SYN-RECV",
  "fin-wait-1":"FIN-WAIT-1","fin-wait-2":"FIN-WAIT-2","time-wait":"TIME-WAIT",
  "unconnected":"UNCONN","close-wait":"CLOSE-WAIT","last-ack":"LAST-ACK",
  "listening":"LISTEN","closing":"CLOSING","unknown":"UNKNOWN"}[.];
def port: if . == 0 then "*" else tostring end;
def addr($s): if $s.family == "inet" then .address
  elif .address == "::" and ($s.v6only | not) then "*"
  else "[" + .address + "]" end;
def ep($s): (addr($s)) + (if .ifname then "%" + .ifname else "" end) + ":" + (.port | port);
def nullpeer($s): if $s.family == "inet" then "0.0.0.0:*"
  elif $s.v6only then "[::]:*" else "*:*" end;
. as $s |
if .family == "unix" then
  [.netid, (.state|st), .recv_q, .send_q, (.local.path // "*"), .local.inode,
   "*", (.peer.inode // 0)]
else
  [.netid, (.state|st), .recv_q, .send_q, (.local | ep($s)),
   (if .peer then (.peer | ep($s)) else nullpeer($s) end)]
end | map(tostring) | join(" ")'

setup_file() {
	netns_setup
	[ -n "${NETNS_SKIP:-}" ] && return 0
	fixture_start "name sbjsonfix" "tcp-listen 127.0.0.1 5001" "tcp-pair 127.0.0.1 5001" "send 100" \
		"tcp-listen :: 5002" "tcp-listen :: 5003 v6only" "tcp-pair ::1 5002" \
		"tcp-pair ::ffff:127.0.0.1 5002" "tcp-listen 127.0.0.1 5004 dev=lo" \
		"udp-bind 0.0.0.0 53" "udp-connect 127.0.0.1 53" "udp-bind ::1 123" \
		"unix-listen /tmp/sbjson.$$.sock" "unix-connect /tmp/sbjson.$$.sock" \
		"unix-bind @sbjson-abs" "unix-pair" "unix-pair seqpacket" \
		"tcp-pair 127.0.0.1 5001" "shutdown wr"
	# netstat -r/-i/-g: a quiet link (no IPv6 autoconf traffic moving the
	# counters between the JSON and the text run) and a few routes
	ip netns exec "$NS" ip link add sbj0 type veth peer name sbj1
	ip netns exec "$NS" sysctl -qw net.ipv6.conf.sbj0.disable_ipv6=1 net.ipv6.conf.sbj1.disable_ipv6=1
	ip netns exec "$NS" ip link set sbj0 up mtu 1400
	ip netns exec "$NS" ip link set sbj1 up
	ip netns exec "$NS" ip addr add 192.0.2.5/24 dev sbj0
	ip netns exec "$NS" ip route add default via 192.0.2.1
	ip netns exec "$NS" ip route add 198.51.100.0/25 via 192.0.2.9 metric 5
	ip netns exec "$NS" ip route add 10.9.9.9 dev sbj0 advmss 1000 window 5000 rtt 80ms
	ip netns exec "$NS" ip route add unreachable 203.0.113.0/24
}

teardown_file() {
	netns_teardown
}

setup() {
	netns_require
	dry_run && skip "sockbox only (iproute2 6.1 has no --json)"
	command -v jq >/dev/null || skip "jq not installed"
	require_features JSON
	sockbox_cmd
	[[ $("$SOCKBOX" ss -j -tn state syn-sent 2>&1) != *"not enabled in this build"* ]] ||
		skip "--json is not in this build"
}

# a hostile fixture dies with its test, failed or not: its names would
# leak into the next tests' tables
teardown() {
	[ -z "${HOSTILE_PID:-}" ] || kill "$HOSTILE_PID" 2>/dev/null || true
	[ -z "${ULP_PID:-}" ] || { kill "$ULP_PID" 2>/dev/null; wait "$ULP_PID" 2>/dev/null; } || true
	[ -z "${ULP_NS:-}" ] || ip netns del "$ULP_NS" 2>/dev/null || true
}

# private_fixture WHAT SPEC...: sockfix in a namespace of its own ($ULP_NS,
# MPTCP on; teardown removes both); the test skips when the kernel lacks
# WHAT and sockfix dies.
private_fixture() {
	local what=$1 d=$BATS_TEST_TMPDIR i
	shift
	ULP_NS=sbtest-json-own-$$
	ip netns add "$ULP_NS"
	ip netns exec "$ULP_NS" ip link set lo up
	ip netns exec "$ULP_NS" sysctl -qw net.mptcp.enabled=1 2>/dev/null || true
	fixture_build
	ip netns exec "$ULP_NS" "$SOCKFIX" -r "$d/ready" "$@" >/dev/null 2>"$d/fix.err" 3>&- &
	ULP_PID=$!
	for ((i = 0; i < 500; i++)); do
		[ -e "$d/ready" ] && return 0
		kill -0 "$ULP_PID" 2>/dev/null || skip "no $what here: $(cat "$d/fix.err")"
		sleep 0.01
	done
	fail "sockfix not ready: $(cat "$d/fix.err")"
}

# json_vs_text ARGS...: ss -n ARGS --json against ss -n -H ARGS
json_vs_text() {
	local d=$BATS_TEST_TMPDIR
	ip netns exec "$NS" "${SB_SS[@]}" -n "$@" -j >"$d/out.json"
	ip netns exec "$NS" "${SB_SS[@]}" -n -H "$@" >"$d/out.txt"
	run "$VALIDATE" --as socket "$SCHEMA" "$d/out.json"
	assert_success
	jq -r ".[] | $TO_TEXT" "$d/out.json" >"$d/from-json.txt" || fail "jq failed"
	# without -H/-j the Netid column is dropped for a single table
	tr -s ' ' <"$d/out.txt" | sed 's/ $//' >"$d/text.txt"
	if [ "$(awk '{print NF}' "$d/text.txt" | head -1)" != "$(awk '{print NF}' "$d/from-json.txt" | head -1)" ]; then
		cut -d' ' -f2- "$d/from-json.txt" >"$d/f" && mv "$d/f" "$d/from-json.txt"
	fi
	diff -u "$d/text.txt" "$d/from-json.txt"
	[ -s "$d/text.txt" ] || fail "no sockets listed"
}

@test "ss -tuna --json: valid, and the same sockets and values as the text" {
	json_vs_text -tua
}

@test "ss -xa --json: unix paths, abstract names, inodes and peers as the text" {
	json_vs_text -xa
}

@test "ss -tln --json (one table: Netid present in JSON only)" {
	json_vs_text -tl
}

@test "--json=lines: one valid object per line, the same objects as the array" {
	local d=$BATS_TEST_TMPDIR
	ip netns exec "$NS" "${SB_SS[@]}" -tuna --json=lines >"$d/lines"
	ip netns exec "$NS" "${SB_SS[@]}" -tuna --json >"$d/array"
	run "$VALIDATE" --lines --as socket "$SCHEMA" "$d/lines"
	assert_success
	diff <(jq -c . "$d/lines") <(jq -c '.[]' "$d/array")
}

@test "--json: numbers are numbers, addresses unbracketed strings, absent peers null" {
	local d=$BATS_TEST_TMPDIR
	ip netns exec "$NS" "${SB_SS[@]}" -tln --json >"$d/j"
	run jq -r '.[] | select(.local.port == 5003) | [.local.address, .v6only, .peer, (.recv_q|type)] | @json' "$d/j"
	assert_output '["::",true,null,"number"]'
	run jq -r '.[] | select(.local.port == 5004) | .local.ifname' "$d/j"
	assert_output "lo"
}

@test "--json with an empty result is an empty array" {
	run ip netns exec "$NS" "${SB_SS[@]}" -tn --json state syn-sent
	assert_success
	assert_output "[]"
}

@test "--json=bogus is a one-line error" {
	run --separate-stderr "${SB_SS[@]}" --json=bogus
	assert_failure 255
	[ "$stderr" = "ss: --json takes 'array' or 'lines', not 'bogus'" ]
}

@test "hostile unix names: text escaped, JSON exact (invalid UTF-8 as \\xNN text)" {
	[ -x "$HOSTILE" ] || skip "tests/fixture/hostile not built"
	local d=$BATS_TEST_TMPDIR
	ip netns exec "$NS" "$HOSTILE" "$d/ready" '/tmp/sbq"uo\\te' '/tmp/sbnl\nx' \
		'@sbesc\e[31mred' '/tmp/sbbad\xff\xfeutf' '/tmp/sbok-é' 3>&- &
	HOSTILE_PID=$!
	for _ in $(seq 100); do [ -e "$d/ready" ] && break; sleep 0.02; done
	ip netns exec "$NS" "${SB_SS[@]}" -xl --json >"$d/j"
	ip netns exec "$NS" "${SB_SS[@]}" -xl >"$d/t"
	kill "$HOSTILE_PID"
	run "$VALIDATE" --as socket "$SCHEMA" "$d/j"
	assert_success
	# JSON: exact bytes (control bytes included), invalid UTF-8 as \xNN text
	jq -r '.[].local.path | select((startswith("/tmp/sb") or startswith("@sb")) and (contains("sbjson") | not))' "$d/j" | sort >"$d/got"
	printf '%s\n' '/tmp/sbq"uo\te' $'/tmp/sbnl\nx' $'@sbesc\e[31mred' \
		'/tmp/sbbad\xff\xfeutf' '/tmp/sbok-é' | sort >"$d/want"
	diff -u "$d/want" "$d/got"
	# text: no raw control bytes at all
	! LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$d/t"
	grep -qF '/tmp/sbnl\x0ax' "$d/t"
	grep -qF '@sbesc\x1b[31mred' "$d/t"
	grep -qF '/tmp/sbbad\xff\xfeutf' "$d/t"
	grep -qF '/tmp/sbok-é' "$d/t"
}

# --- ss detail options ---------------------------------------------------

# jq defs shared by the detail tests: an endpoint as ss -n prints it (the
# key that pairs a JSON object with its text row), %#x, and hex.
JQ_DEFS='
def hex: if . < 16 then "0123456789abcdef"[.:.+1] else ((. / 16 | floor) | hex) + ("0123456789abcdef"[. % 16:. % 16 + 1]) end;
def hash_x: if . == 0 then "0" else "0x" + hex end;
def ep($s): (if $s.family == "inet" then .address
  elif .address == "::" and ($s.v6only | not) then "*" else "[" + .address + "]" end)
  + (if .ifname then "%" + .ifname else "" end) + ":" + (if .port == 0 then "*" else (.port|tostring) end);
def key: . as $s | (.local | ep($s)) + " " + (if .peer then (.peer | ep($s))
  elif .family == "inet" then "0.0.0.0:*" elif .v6only then "[::]:*" else "*:*" end);'

# ss_json ARGS...: $d/j, the JSON of ss -n ARGS, validated as a socket table.
ss_json() {
	d=$BATS_TEST_TMPDIR
	ip netns exec "$NS" "${SB_SS[@]}" -n "$@" -j >"$d/j"
	run "$VALIDATE" --as socket "$SCHEMA" "$d/j"
	assert_success
	[ "$(jq length "$d/j")" -gt 0 ] || fail "no sockets"
}

# ss_json_text ARGS...: ss_json, and $d/t, the text of ss -n -H ARGS.
ss_json_text() {
	ss_json "$@"
	ip netns exec "$NS" "${SB_SS[@]}" -n -H "$@" >"$d/t"
}

# A TIME-WAIT socket (its timer) of our own: one made in setup_file is
# gone after 60 s.
timewait_start() {
	fixture_start "tcp-timewait 127.0.0.1 $1"
}

@test "ss -tnaeo --json: timer, uid, inode, cookie, cgroup, v6only and shutdown as the text" {
	timewait_start 5006
	ss_json_text -tae -o
	# text: addresses and the Process column, the timer's expiry blanked (it ticks)
	awk '{ s = $4 " " $5; for (i = 6; i <= NF; i++) s = s " " $i; print s }' "$d/t" |
		sed 's/timer:(\([a-z]*\),[^,]*,/timer:(\1,X,/' | sort >"$d/text"
	jq -r "$JQ_DEFS"'
	  .[] | key + (if .timer.name != "off" then " timer:(\(.timer.name),X,\(.timer.retrans))" else "" end)
	  + (if .uid != 0 then " uid:\(.uid)" else "" end) + " ino:\(.inode) sk:\(.cookie | hex)"
	  + (if .cgroup then " cgroup:\(.cgroup.path)" else "" end)
	  + (if .v6only != null then " v6only:\(if .v6only then 1 else 0 end)" else "" end)
	  + (if .extended.shutdown != null then " " + (if .extended.shutdown % 2 == 1 then "-" else "<" end)
	     + "-" + (if .extended.shutdown >= 2 then "-" else ">" end) else "" end)' "$d/j" | sort >"$d/json"
	diff -u "$d/text" "$d/json"
	[ "$(wc -l <"$d/text")" -eq "$(jq length "$d/j")" ] || fail "not every row paired"
	grep -q 'timer:(timewait,X,0)' "$d/json" || fail "no TIME-WAIT timer in the fixture"
	grep -q -- ' <--$\| --->$\| -->$\| <-$' "$d/json" || fail "no shut-down socket in the fixture"
}

@test "ss -xae --json: unix shutdown, vfs inode/device and pending connections as the text" {
	ss_json_text -xae
	sed 's/^.*\( [<-]-[->]\)/\1/; s/ *$//' "$d/t" | sort >"$d/text"
	jq -r '.[] | " " + (if .extended.shutdown % 2 == 1 then "-" else "<" end) + "-"
	  + (if .extended.shutdown >= 2 then "-" else ">" end)
	  + (if .extended.vfs then " ino:\(.extended.vfs.ino) dev:\(.extended.vfs.dev / 256 | floor % 4096)/\((.extended.vfs.dev % 256) + ((.extended.vfs.dev / 4096 | floor) - (.extended.vfs.dev / 4096 | floor) % 256))" else "" end)
	  + (if .extended.icons then " peers:" + (.extended.icons | map(" \(.)") | join("")) else "" end)' "$d/j" | sort >"$d/json"
	diff -u "$d/text" "$d/json"
	grep -q ' ino:[0-9]* dev:' "$d/json" || fail "no bound unix socket"
}

@test "ss -tuxnap --json: users (name, pid, fd) as the text's users:((...))" {
	ss_json_text -tuxap
	grep -o 'users:((.*))' "$d/t" | sort >"$d/text"
	jq -r '.[] | select(.users | length > 0) | "users:((" + (.users | map("\"\(.name)\",pid=\(.pid),fd=\(.fd)") | join("),(")) + "))"' "$d/j" | sort >"$d/json"
	diff -u "$d/text" "$d/json"
	grep -q '"sbjsonfix",pid=' "$d/json" || fail "fixture process not found"
	# threads: tid as well
	ip netns exec "$NS" "${SB_SS[@]}" -tlnT -j >"$d/jt"
	run jq -e '.[0].users[0] | has("tid") and .tid == .pid' "$d/jt"
	assert_success
}

# ref_tokens ARGS: "KEY NAME:VALUE" per detail word of iproute2's ss -n -H
# ARGS output (its continuation lines joined to their socket's line).
ref_tokens() {
	ip netns exec "$NS" "$REF_SS" -n -H "$@" 2>/dev/null | awk '
		/^\t/ { line = line $0; next }
		{ if (line != "") print line; line = $0 }
		END { if (line != "") print line }' |
	awk '{ key = $4 " " $5; if ($1 ~ /^(tcp|udp|u_|raw)/) key = $5 " " $6
	       for (i = 1; i <= NF; i++) if ($i ~ /^[a-z_]+:[^(]/ || $i ~ /^skmem:/) print key, $i }'
}

@test "ss -tuxnam --json: skmeminfo (and inet meminfo) as iproute2's skmem:(...)" {
	ss_json -tuxam
	ref_tokens -tuxam | grep ' skmem:' | sort >"$d/ref"
	jq -r "$JQ_DEFS"'
	  .[] | select(.skmeminfo) | (if .family == "unix" then "\(.local.path // "*") \(.inode)" else key end)
	  + " skmem:(" + (.skmeminfo | "r\(.rmem_alloc),rb\(.rcvbuf),t\(.wmem_alloc),tb\(.sndbuf),f\(.fwd_alloc),w\(.wmem_queued),o\(.optmem),bl\(.backlog),d\(.drops)") + ")"' "$d/j" | sort >"$d/json"
	diff -u "$d/ref" "$d/json"
	[ "$(wc -l <"$d/ref")" -ge 10 ] || fail "too few sockets with skmem"
	# meminfo (inet only): the same numbers as the socket's skmeminfo
	run jq -e '[.[] | select(.family != "unix" and .state != "time-wait") | .meminfo | [.rmem, .fmem]] ==
	  [.[] | select(.family != "unix" and .state != "time-wait") | .skmeminfo | [.rmem_alloc, .fwd_alloc]]' "$d/j"
	assert_success
	run jq -e '[.[] | select(.family == "unix") | .meminfo] | length > 0 and all(. == null)' "$d/j"
	assert_success
}

@test "ss -tnai --json: tcp_info members and the congestion algorithm as iproute2's -i text" {
	ss_json -tai
	# tokens that do not tick between two runs of an idle fixture
	ref_tokens -tai | grep -E ' (wscale|rto|ato|mss|pmtu|rcvmss|advmss|cwnd|ssthresh|bytes_sent|bytes_acked|bytes_received|segs_out|segs_in|data_segs_out|data_segs_in|rcv_space|rcv_ssthresh|snd_wnd|delivered|reordering|retrans):' |
		sort >"$d/ref"
	jq -r "$JQ_DEFS"'
	  .[] | select(.tcp_info) | key as $k | .tcp_info |
	  {wscale: "\(.snd_wscale),\(.rcv_wscale)", rto: (.rto / 1000), ato: (.ato / 1000),
	   mss: .snd_mss, pmtu, rcvmss: .rcv_mss, advmss, cwnd: .snd_cwnd, ssthresh: .snd_ssthresh,
	   bytes_sent, bytes_acked, bytes_received, segs_out, segs_in, data_segs_out, data_segs_in,
	   rcv_space, rcv_ssthresh, snd_wnd, delivered, reordering: .reordering,
	   retrans: "\(.retransmits)/\(.total_retrans)"} |
	  to_entries[] | "\($k) \(.key):\(.value)"' "$d/j" | sort >"$d/json"
	# every iproute2 token is in the JSON (iproute2 leaves zero values out)
	comm -23 "$d/ref" "$d/json" >"$d/missing"
	[ ! -s "$d/missing" ] || { cat "$d/missing"; fail "iproute2 values not in the JSON"; }
	[ "$(wc -l <"$d/ref")" -ge 20 ] || fail "too few tcp_info values compared"
	# the algorithm: the word before wscale/cwnd in iproute2's text
	ip netns exec "$NS" "$REF_SS" -tni state established -H | grep -o '^	 *\(ts \)\?\(sack \)\?[a-z0-9_]*' |
		awk '{print $NF}' | sort -u >"$d/cc-ref"
	jq -r '.[] | select(.state == "established") | .cong' "$d/j" | sort -u >"$d/cc-json"
	diff -u "$d/cc-ref" "$d/cc-json"
	# the algorithm's own info, when it sends one, by its struct's names
	run jq -e '[.[] | select(.cong == "bbr" and .state == "established") | .bbr_info | has("bw_lo") and has("min_rtt")] | all' "$d/j"
	assert_success
}

@test "ss -tunao --tos --cgroup --json: tos, tclass, class_id and cgroup as iproute2's text" {
	ss_json -tua --tos --cgroup
	ref_tokens -tua --tos --cgroup | grep -E ' (tos|tclass|class_id|cgroup):' | sort >"$d/ref"
	jq -r "$JQ_DEFS"'
	  .[] | key as $k | ((.tos | to_entries[] | select(.value != null) | "\($k) \(.key):\(.value | hash_x)"),
	  (select(.cgroup) | "\($k) cgroup:\(.cgroup.path)"))' "$d/j" | sort >"$d/json"
	diff -u "$d/ref" "$d/json"
	grep -q ' tos:' "$d/json" || fail "no tos values"
}

@test "ss -tnai --json: md5keys and ulp (MPTCP subflows) as iproute2's md5keys: and tcp-ulp-mptcp" {
	# a namespace of its own: iproute2 6.1 prints MD5 keys before its
	# header, which the other tests' text parsing would trip over
	local d=$BATS_TEST_TMPDIR
	private_fixture "TCP MD5 or MPTCP" \
		'tcp-listen 127.0.0.1 179 md5=10.1.2.3:hello md5=10.0.0.0/8:a\x20b,c\x5cd\xff\xc3\xa9' \
		"tcp-listen :: 180 md5=2001:db8::/32:k6 md5=::ffff:10.9.9.9:mapped md5=::1:v6peer" \
		"tcp-pair ::1 180 md5=::1:v6peer" "send 10" \
		"tcp-listen 127.0.0.1 5555 mptcp" "tcp-pair 127.0.0.1 5555 mptcp" "send 100"
	ip netns exec "$ULP_NS" "${SB_SS[@]}" -tnai -j >"$d/j"
	ip netns exec "$ULP_NS" "$REF_SS" -tnai >"$d/ref"
	run "$VALIDATE" --as socket "$SCHEMA" "$d/j"
	assert_success
	# iproute2's row fragments and its keys before the header, rebuilt
	# from the JSON (python: map_seq exceeds a double's precision)
	run python3 - "$d/j" "$d/ref" <<'PY'
import json, re, sys
socks = json.load(open(sys.argv[1]))
ref = open(sys.argv[2], "rb").read().decode("latin-1")
def esc(k):
    # the JSON string's "\\xNN" texts are the bytes that are not UTF-8
    b = b"".join(bytes([int(p[2:], 16)]) if re.fullmatch(r"\\x[0-9a-f]{2}", p) else p.encode()
                 for p in re.split(r"(\\x[0-9a-f]{2})", k))
    return "".join(chr(c) if 0x20 < c < 0x7f and chr(c) not in ",\\" else "\\%03o" % c for c in b)
keys, frags = "", []
for s in socks:
    for k in s.get("md5keys", []):
        keys += esc(k["key"])
    if "md5keys" in s:
        frags.append("md5keys:" + ",".join("%s/%d=" % (k["address"], k["prefixlen"]) for k in s["md5keys"]))
    u = s.get("ulp")
    if u and "mptcp" in u:
        m = u["mptcp"]
        f = "tcp-ulp-" + u["name"]
        caps = "".join(c for i, c in enumerate("MmJjBbecv") if m["flags"] >> i & 1)
        f += " flags:%s token:%04x(id:%d)/%04x(id:%d) seq:%x sfseq:%x ssnoff:%x maplen:%x" % (caps,
            m["token_rem"], m["id_rem"], m["token_loc"], m["id_loc"], m["map_seq"],
            m["map_sfseq"], m["ssn_offset"], m["map_datalen"])
        frags.append(f)
want = sorted(frags)
got = sorted(re.findall(r"md5keys:\S*|tcp-ulp-mptcp flags:.*?maplen:[0-9a-f]+", ref))
print("json:", want); print("ref: ", got); print("keys json:", keys); print("keys ref: ", ref[:ref.find("State")])
sys.exit(0 if want == got and ref.startswith(keys + "State") and len(got) >= 6 else 1)
PY
	assert_success
}

@test "ss -Mnai --json: an MPTCP socket's counters are mptcp_info (tcp_info null), as iproute2's -M -i text" {
	local d=$BATS_TEST_TMPDIR
	private_fixture MPTCP "tcp-listen 127.0.0.1 5555 mptcp" "tcp-pair 127.0.0.1 5555 mptcp" "send 100"
	ip netns exec "$ULP_NS" "${SB_SS[@]}" -Mnai -j >"$d/j"
	ip netns exec "$ULP_NS" "$REF_SS" -Mnai >"$d/ref"
	run "$VALIDATE" --as socket "$SCHEMA" "$d/j"
	assert_success
	[ "$(jq '[.[] | select(.tcp_info != null)] | length' "$d/j")" = 0 ] || fail "tcp_info on MPTCP sockets"
	# iproute2's detail line of each socket, rebuilt from mptcp_info
	# (python: the sequence numbers exceed a double's precision)
	run python3 - "$d/j" "$d/ref" <<'PY'
import json, re, sys
want = []
for s in json.load(open(sys.argv[1])):
    m = s["mptcp_info"]
    f = "".join(" %s:%d" % (k, m[k]) for k in ("subflows", "add_addr_signal", "add_addr_accepted",
        "subflows_max", "add_addr_signal_max", "add_addr_accepted_max") if m[k])
    f += " fallback" * (m["flags"] & 1) + " remote_key" * (m["flags"] >> 1 & 1)
    f += "".join(" %s:%x" % (k, m[k]) for k in ("token", "write_seq", "snd_una", "rcv_nxt") if m[k])
    want.append(f.strip())
got = [l.strip() for l in open(sys.argv[2]).read().split("\n")[1:] if l.startswith("\t")]
print("json:", sorted(want)); print("ref: ", sorted(got))
sys.exit(0 if sorted(want) == sorted(got) and any("token:" in g for g in got) else 1)
PY
	assert_success
}

@test "--json=lines with every detail option: one object per line, as the array" {
	local d=$BATS_TEST_TMPDIR
	ip netns exec "$NS" "${SB_SS[@]}" -tuxnaepmi --tos --cgroup --json=lines >"$d/lines"
	ip netns exec "$NS" "${SB_SS[@]}" -tuxnaepmi --tos --cgroup --json >"$d/array"
	run "$VALIDATE" --lines --as socket "$SCHEMA" "$d/lines"
	assert_success
	[ "$(wc -l <"$d/lines")" -eq "$(jq length "$d/array")" ]
	# the same sockets and fields (the counters of tcp_info may tick)
	diff <(jq -c 'del(.tcp_info, .bbr_info, .skmeminfo, .meminfo, .timer.expires_ms)' "$d/lines") \
		<(jq -c '.[] | del(.tcp_info, .bbr_info, .skmeminfo, .meminfo, .timer.expires_ms)' "$d/array")
}

@test "hostile process names: users[].name round-trips exactly (invalid UTF-8 as \\xNN text)" {
	[ -x "$HOSTILE" ] || skip "tests/fixture/hostile not built"
	local d=$BATS_TEST_TMPDIR
	# the first path names the process: quote, backslash, ESC, ^A, 0xff
	ip netns exec "$NS" "$HOSTILE" "$d/ready" '@sbp\e"\\\x01\xffz' 3>&- &
	HOSTILE_PID=$!
	for _ in $(seq 100); do [ -e "$d/ready" ] && break; sleep 0.02; done
	ip netns exec "$NS" "${SB_SS[@]}" -xlp --json >"$d/j"
	kill "$HOSTILE_PID"
	run "$VALIDATE" --as socket "$SCHEMA" "$d/j"
	assert_success
	jq -j '.[] | select(.local.path | startswith("@sbp")) | .users[0].name' "$d/j" >"$d/got"
	printf '@sbp\e"\\\001\\xffz' >"$d/want"
	cmp "$d/want" "$d/got" || fail "$(od -c "$d/got")"
}

# --- netstat -------------------------------------------------------------

# netstat_json_text ARGS...: $d/j and $d/t (header lines dropped, blanks
# squeezed) of netstat ARGS, the JSON validated as a table of DEF ($1).
netstat_json_text() {
	local def=$1
	shift
	d=$BATS_TEST_TMPDIR
	ip netns exec "$NS" "$SOCKBOX" netstat "$@" --json >"$d/j"
	ip netns exec "$NS" "$SOCKBOX" netstat "$@" >"$d/t.raw"
	run "$VALIDATE" --as "$def" "$SCHEMA" "$d/j"
	assert_success
	grep -v '^Active \|^Proto \|^Kernel \|^Destination \|^Iface \|^IPv6/IPv4 \|^Interface \|^---' "$d/t.raw" |
		tr -s ' ' | sed 's/ $//' >"$d/t"
	[ -s "$d/t" ] || fail "empty text table"
}

NS_INET='
def st: {"established":"ESTABLISHED","syn-sent":"SYN_SENT","syn-recv":"SYN_RECV",
  "fin-wait-1":"FIN_WAIT1","fin-wait-2":"FIN_WAIT2","time-wait":"TIME_WAIT","unconnected":"CLOSE",
  "close-wait":"CLOSE_WAIT","last-ack":"LAST_ACK","listening":"LISTEN","closing":"CLOSING"}[.];
def host: if (.address | test("^::ffff:[0-9.]+$")) then .address[7:] else .address end;
def ep: host + ":" + (if .port == 0 then "*" else (.port|tostring) end);
. as $s | [.netid + (if .family == "inet6" then "6" else "" end),
  .recv_q, (if .state == "listening" then 0 else .send_q end),
  (.local | ep), (if .peer then (.peer | ep) elif .family == "inet" then "0.0.0.0:*" else ":::*" end),
  (if .netid == "tcp" then (.state | st) elif .state == "established" then "ESTABLISHED" else "" end),
  .user, .inode, (if .program then "\(.program.pid)/\(.program.name)" else "-" end),
  (if .timer then "\(.timer.name)" else empty end)]
| map(tostring) | join(" ")'

@test "netstat -tuanpeW --json: the text's sockets, queues, states, users, inodes, programs" {
	require_features NETSTAT
	netstat_json_text socket -tuanpeW
	jq -r ".[] | $NS_INET" "$d/j" | tr -s ' ' >"$d/json"
	diff -u "$d/t" "$d/json"
	grep -q '/sockfix$' "$d/json" || fail "no program names"
	# ss's fields for the same sockets: the same inodes and cookies
	ip netns exec "$NS" "${SB_SS[@]}" -tuan -j >"$d/ss"
	diff <(jq -r '.[] | "\(.inode) \(.cookie) \(.state)"' "$d/ss" | sort) \
		<(jq -r '.[] | "\(.inode) \(.cookie) \(.state)"' "$d/j" | sort)
}

@test "netstat -tao --json: timers by name as the text's Timer column" {
	require_features NETSTAT
	timewait_start 5007
	netstat_json_text socket -taon
	sed 's/ (.*$//' "$d/t" | awk '{print $4, $5, $NF}' | sort >"$d/text"
	jq -r '.[] | "\(.local.address | sub("^::ffff:"; "")):\(.local.port | if . == 0 then "*" else . end) \(if .peer then "\(.peer.address | sub("^::ffff:"; "")):\(.peer.port)" elif .family == "inet" then "0.0.0.0:*" else ":::*" end) \(.timer.name)"' "$d/j" | sort >"$d/json"
	diff -u "$d/text" "$d/json"
	grep -q ' timewait$' "$d/json" || fail "no TIME-WAIT timer"
}

@test "netstat -xap --json: unix sockets as the text (refcnt, flags, type, state, inode, program, path)" {
	require_features NETSTAT
	netstat_json_text socket -xap
	jq -r '.[] | ["unix", .refcnt,
	  "[ " + ([if .flags / 65536 % 2 >= 1 then "ACC" else empty end,
	           if .flags / 131072 % 2 >= 1 then "W" else empty end,
	           if .flags / 262144 % 2 >= 1 then "N" else empty end] | map(. + " ") | join("")) + "]",
	  {"u_str":"STREAM","u_dgr":"DGRAM","u_seq":"SEQPACKET"}[.netid],
	  {"listening":"LISTENING","established":"CONNECTED","unconnected":"","syn-sent":"CONNECTING","closing":"DISCONNECTING"}[.state],
	  .inode, (if .program then "\(.program.pid)/\(.program.name)" else "-" end), (.local.path // "")]
	  | map(tostring) | join(" ")' "$d/j" | tr -s ' ' | sed 's/ $//' >"$d/json"
	diff -u "$d/t" "$d/json"
	grep -q 'LISTENING' "$d/json" || fail "no unix listener"
}

@test "netstat --json=lines: one socket object per line, as the array" {
	require_features NETSTAT
	local d=$BATS_TEST_TMPDIR
	ip netns exec "$NS" "$SOCKBOX" netstat -anp --json=lines >"$d/lines"
	ip netns exec "$NS" "$SOCKBOX" netstat -anp --json >"$d/array"
	run "$VALIDATE" --lines --as socket "$SCHEMA" "$d/lines"
	assert_success
	# TIME-WAIT entries may expire between the two runs
	diff <(jq -c 'select(.state != "time-wait")' "$d/lines") \
		<(jq -c '.[] | select(.state != "time-wait")' "$d/array")
	jq -e 'map(.family) | index("unix") and index("inet")' "$d/array"
}

@test "netstat -rn --json: the main table's routes as the text" {
	require_features NETSTAT
	netstat_json_text route -rn
	jq -r '.[] | (.type != "unicast") as $rej | [.dst, (if $rej then "-" else (.gateway // "0.0.0.0") end), .genmask,
	  (if $rej then "!" else "U" + (if .gateway then "G" else "" end) + (if .dst_len == 32 then "H" else "" end) end),
	  (if $rej then "-" elif .metrics.advmss > 0 then .metrics.advmss + 40 else 0 end),
	  (if $rej then "-" else .metrics.window end), (if $rej then "-" else (.metrics.rtt / 8 | floor) end),
	  (if $rej or .dev == null then "-" else .dev end)] | map(tostring) | join(" ")' "$d/j" >"$d/json"
	diff -u "$d/t" "$d/json"
	grep -q '^10.9.9.9 0.0.0.0 255.255.255.255 UH 1040 5000 ' "$d/json" || fail "metrics route missing"
	grep -q '^203.0.113.0 - 255.255.255.0 ! ' "$d/json" || fail "reject route missing"
	run jq -r '.[] | select(.dst == "198.51.100.0") | .priority' "$d/j"
	assert_output 5
}

@test "netstat -r -6 --json: every route of /proc/net/ipv6_route" {
	require_features NETSTAT
	local d=$BATS_TEST_TMPDIR
	ip netns exec "$NS" "$SOCKBOX" netstat -r -6 --json >"$d/j"
	run "$VALIDATE" --as route "$SCHEMA" "$d/j"
	assert_success
	# ipv6_route: 32 hex digits of destination, then its prefix length in
	# hex; its first line can be the kernel's null entry (::/0 reject on
	# lo), which is no route and which rtnetlink does not list
	ip netns exec "$NS" cat /proc/net/ipv6_route |
		while read -r dst plen _ _ _ _ _ _ flags dev; do
			[ "$plen" = 00 ] && [ "$dev" = lo ] && (( 16#$flags & 0x200 )) && continue
			echo "$dst/$((16#$plen))"
		done | sort -u >"$d/want"
	[ -s "$d/want" ] || fail "no IPv6 routes in the namespace"
	jq -r '.[] | "\(.dst)/\(.dst_len)"' "$d/j" | python3 -c '
import ipaddress, sys
for l in sys.stdin:
    a, n = l.strip().rsplit("/", 1)
    print("%s/%d" % (ipaddress.IPv6Address(a).exploded.replace(":", ""), int(n)))' |
		sort -u >"$d/got"
	diff -u "$d/want" "$d/got"
}

@test "netstat -ia --json: interfaces and counters as the text" {
	require_features NETSTAT
	netstat_json_text interface -ia
	jq -r '.[] | . as $l | [.ifname[:15], .mtu, .stats64.rx_packets, .stats64.rx_errors,
	  .stats64.rx_dropped + .stats64.rx_missed_errors, .stats64.rx_fifo_errors, .stats64.tx_packets,
	  .stats64.tx_errors, .stats64.tx_dropped, .stats64.tx_fifo_errors,
	  ([["allmulti","A"],["broadcast","B"],["debug","D"],["loopback","L"],["multicast","M"],["dynamic","d"],
	    ["promisc","P"],["notrailers","N"],["noarp","O"],["pointopoint","p"],["slave","s"],["master","m"],
	    ["running","R"],["up","U"]] | map(select(.[0] as $f | $l.flags | index($f)) | .[1]) | join("")
	   | if . == "" then "[NO FLAGS]" else . end)] | map(tostring) | join(" ")' "$d/j" >"$d/json"
	diff -u "$d/t" "$d/json"
	grep -q '^sbj0 1400 ' "$d/json" || fail "veth missing"
}

@test "netstat -gn --json: multicast memberships as the text" {
	require_features NETSTAT
	netstat_json_text group -gn
	jq -r '.[] | "\(.ifname) \(.users) \(.group)"' "$d/j" >"$d/json"
	diff -u "$d/t" "$d/json"
	jq -e 'map(.family) | index("inet") and index("inet6")' "$d/j"
}

@test "netstat -s --json: every counter of the kernel's files, as net-tools' -s text words them" {
	require_features NETSTAT
	run "$SOCKBOX" netstat -s --json
	[[ $output != *"not enabled in this build"* ]] || skip "netstat -s is not in this build"
	d=$BATS_TEST_TMPDIR
	ip netns exec "$NS" "$SOCKBOX" netstat -s --json >"$d/j"
	run "$VALIDATE" --as statistics "$SCHEMA" "$d/j"
	assert_success
	# the files themselves, read in the same namespace right after
	ip netns exec "$NS" cat /proc/net/snmp /proc/net/netstat | awk '
		NR % 2 { split($0, n); next }
		{ for (i = 2; i <= NF; i++) print n[1] n[i], ($i < 0 ? "18446744073709551615" : $i) }' |
		sed 's/: */ /; s/:/ /' | awk '{print $1, $2, $3}' | sort >"$d/proc"
	jq -r '.[] | .table as $t | .counters | to_entries[] | "\($t) \(.key) \(.value)"' "$d/j" |
		sed 's/ 1.8446744073709552e+19$/ 18446744073709551615/; s/ 18446744073709552000$/ 18446744073709551615/' | sort >"$d/json"
	diff -u "$d/proc" "$d/json"
	# and what net-tools says about the same counters
	[ -x /usr/bin/netstat ] || return 0
	ip netns exec "$NS" /usr/bin/netstat -s >"$d/ref"
	local sentence key
	for pair in "active connection openings:ActiveOpens" "passive connection openings:PassiveOpens" \
		"segments received:InSegs" "connections established:CurrEstab"; do
		sentence=${pair%:*} key=${pair#*:}
		[ "$(awk -v s="$sentence" 'index($0, s) { print $1; exit }' "$d/ref")" = \
		  "$(jq -r --arg k "$key" '.[] | select(.table == "Tcp") | .counters[$k]' "$d/j")" ] ||
			fail "Tcp $key differs from net-tools' '$sentence'"
	done
	run jq -e '.[] | select(.table == "Tcp") | .counters.CurrEstab >= 6' "$d/j"
	assert_success
	# -6: snmp6, split into tables by name prefix
	ip netns exec "$NS" "$SOCKBOX" netstat -s -6 --json=lines >"$d/l6"
	run "$VALIDATE" --lines --as statistics "$SCHEMA" "$d/l6"
	assert_success
	diff <(ip netns exec "$NS" awk '{print $1, $2}' /proc/net/snmp6 | sort) \
		<(jq -r '.counters | to_entries[] | "\(.key) \(.value)"' "$d/l6" | sort)
	jq -e -s 'map(.table) | index("Ip6") and index("Icmp6") and index("Udp6")' "$d/l6"
}

@test "netstat --json=bogus is a one-line error" {
	require_features NETSTAT
	run --separate-stderr "$SOCKBOX" netstat --json=bogus
	assert_failure 3
	[ "$stderr" = "netstat: --json takes 'array' or 'lines', not 'bogus'" ]
	[ -z "$output" ]
}

@test "sockstat --json and --libxo json: valid sockstat documents" {
	require_features SOCKSTAT
	local d=$BATS_TEST_TMPDIR
	ip netns exec "$NS" "$SOCKBOX" sockstat -s -i -c --json >"$d/a"
	ip netns exec "$NS" "$SOCKBOX" sockstat --libxo json >"$d/b"
	run "$VALIDATE" --one --as sockstat "$SCHEMA" "$d/a"
	assert_success
	run "$VALIDATE" --one --as sockstat "$SCHEMA" "$d/b"
	assert_success
	jq -e '.sockstat.socket | map(.command) | index("sbjsonfix")' "$d/b"
}

# --- scale ---------------------------------------------------------------

# peak RSS (KiB) of sockbox ARGS in $NS, output to /dev/null
peak_rss() {
	local f=$BATS_TEST_TMPDIR/time
	ip netns exec "$NS" /usr/bin/time -f '%M' -o "$f" "$SOCKBOX" "$@" >/dev/null ||
		fail "sockbox $* failed"
	cat "$f"
}

@test "20 000 sockets: --json streams in bounded memory (< 1 MiB RSS, as docs/ss.8 says)" {
	[ -x /usr/bin/time ] || skip "no /usr/bin/time"
	local small big jl before=$FIXTURE_PIDS
	# The dump's receiving thread (its slots, and under ASan its own
	# allocator state, about 1 MiB) is a fixed cost: it runs from the first
	# datagram in all three runs, so that only growth with the number of
	# sockets is measured.
	local -x SOCKBOX_RECV_AHEAD=0
	small=$(peak_rss ss -tan -j)
	# two processes: the hard limit on open files may be 20 000
	fixture_start "tcp-listen 127.0.0.1 6100 backlog=4096" "repeat 5000 tcp-pair 127.0.0.1 6100"
	fixture_start "tcp-listen 127.0.0.1 6101 backlog=4096" "repeat 5000 tcp-pair 127.0.0.1 6101"
	big=$(peak_rss ss -tan -j)
	jl=$(peak_rss ss -tan --json=lines)
	run bash -c "ip netns exec '$NS' '$SOCKBOX' ss -tan --json=lines | wc -l"
	[ "$output" -ge 20002 ] || fail "only $output sockets"
	echo "peak RSS KiB: few sockets ${small}, 20k array ${big}, 20k lines ${jl}"
	# bounded: no growth with the number of sockets, and under 1 MiB. Under
	# ASan the peak RSS of the same run varies by some 300 KiB (shadow pages,
	# quarantine), so the growth bound is looser there; keeping 20 000
	# records would still cost megabytes
	local slack=256
	[ "${SANITIZE:-}" = 1 ] && slack=1024
	[ "$big" -le $((small + slack)) ] || fail "RSS grew: $small -> $big KiB"
	[ "$jl" -le $((small + slack)) ] || fail "RSS --json=lines grew: $small -> $jl KiB"
	# (the absolute bound is the static build's: ASan's shadow memory alone
	# is megabytes; the growth check above holds for both)
	if [ "${SANITIZE:-}" != 1 ]; then
		[ "$big" -le 1024 ] || fail "RSS $big KiB"
		[ "$jl" -le 1024 ] || fail "RSS --json=lines $jl KiB"
	fi
	# (its CPU cost against the text is bench/run's "ss -tan --json vs text")
	# the next tests need not walk 20 000 sockets
	for pid in $FIXTURE_PIDS; do
		case " $before " in *" $pid "*) ;; *) kill -TERM "$pid"; wait "$pid" 2>/dev/null || true ;; esac
	done
	FIXTURE_PIDS=$before
}
