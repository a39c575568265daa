#!/usr/bin/env bats
# ss --json: valid against docs/sockbox-json.schema.json, parsed by jq, and
# saying the same as the text output of the same sockets.

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
	fixture_start "tcp-listen 127.0.0.1 5001" "tcp-pair 127.0.0.1 5001" "send 100" \
		"tcp-listen :: 5002" "tcp-listen :: 5003 v6only" "tcp-pair ::1 5002" \
		"tcp-pair ::ffff:127.0.0.1 5002" "tcp-listen 127.0.0.1 5004 dev=lo" \
		"udp-bind 0.0.0.0 53" "udp-connect 127.0.0.1 53" "udp-bind ::1 123" \
		"unix-listen /tmp/sbjson.$$.sock" "unix-connect /tmp/sbjson.$$.sock" \
		"unix-bind @sbjson-abs" "unix-pair" "unix-pair seqpacket"
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
}

# json_vs_text ARGS...: ss -n ARGS --json against ss -n -H ARGS
json_vs_text() {
	local d=$BATS_TEST_TMPDIR
	ip netns exec "$NS" "${SB_SS[@]}" -n "$@" -j >"$d/out.json"
	ip netns exec "$NS" "${SB_SS[@]}" -n -H "$@" >"$d/out.txt"
	run "$VALIDATE" "$SCHEMA" "$d/out.json"
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
	run "$VALIDATE" --lines "$SCHEMA" "$d/lines"
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
	local pid=$!
	for _ in $(seq 100); do [ -e "$d/ready" ] && break; sleep 0.02; done
	ip netns exec "$NS" "${SB_SS[@]}" -xl --json >"$d/j"
	ip netns exec "$NS" "${SB_SS[@]}" -xl >"$d/t"
	kill $pid
	run "$VALIDATE" "$SCHEMA" "$d/j"
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
