#!/usr/bin/env bats
# Differential ss tests of SCTP, DCCP, TIPC and vsock in a booted kernel:
# hosts whose kernel lacks those families (ss_families.bats skips them)
# still compare sockbox with iproute2 here. One qemu boot of Debian's
# kernel for the whole file (tests/initramfs/families): the modules load,
# the static fixture makes the sockets of SPEC, and each line of CMDS runs
# as iproute2's ss and right after as sockbox ss; the console comes back
# to $BATS_FILE_TMPDIR/vm and each test compares its commands' stdout
# byte for byte (after ss_mask) and their exit codes.

load lib/common

# Multi-homed SCTP endpoints (IPv4 with two extra addresses; IPv6 with an
# IPv4 one), one-to-one and one-to-many associations, a multi-homed
# client, and one whose receiver's window is full (the sender's T3-rtx
# timer runs for its window probes); DCCP listeners and a pair; TIPC sockets of every type, bound,
# listening and connected; vsock listeners (any CID, CID 1) and a
# connection over vsock_loopback. Ports 22 and 80 show service names.
SPEC=(
	"name vmfix"
	"sctp-listen 127.0.0.1,127.0.0.2,127.0.0.3 5001"
	"sctp-listen ::1,127.0.0.1 5002 seqpacket"
	"sctp-listen 127.0.0.1 22"
	"sctp-pair 127.0.0.1 5001 from=127.0.0.4,127.0.0.5"
	"send 100"
	"sctp-pair ::1 5002 seqpacket"
	"sctp-pair 127.0.0.1 5002 seqpacket"
	"sctp-listen 127.0.0.1 5005 rcvbuf=4096"
	"sctp-pair 127.0.0.1 5005"
	"send 400000"
	"dccp-listen 127.0.0.1 5003"
	"dccp-listen ::1 5004"
	"dccp-listen 127.0.0.1 80"
	"dccp-pair 127.0.0.1 5003"
	"send-back 10"
	"tipc-bind 1000 1 rdm"
	"tipc-bind 1002 7 dgram"
	"tipc-bind 1000 2 stream"
	"tipc-pair 1000 2"
	"tipc-bind 1001 5 seqpacket"
	"tipc-socket dgram"
	"vsock-listen 1234"
	"vsock-listen 1235 local"
	"vsock-pair 1234"
)

SCTP_LIST=("-S" "-Sa" "-San" "-Sl" "-Sa -6")
SCTP_DETAILS=("-Sane" "-Sano" "-Sanp" "-San --tos --cgroup")
SCTP_INFO=("-Sani" "-Sanm" "-Sai" "-Sa -O -i" "-Saneimo" "-Sl -m")
SCTP_FILTER=("-Sa sport = :5001" "-Sa src [::1]" "-San state established"
	"-Sanm dst 127.0.0.1" "-San ( sport = :5001 or dport = :5002 )" "-Sa -4 state listening")
DCCP=("-d" "-da" "-dan" "-dane" "-danep" "-danimo" "-da sport = :5003")
TIPC=("--tipc" "--tipc -a" "--tipc --tipcinfo" "--tipc -a --tipcinfo" "--tipc -aep" "--tipc -a -O --tipcinfo"
	"--tipc -l")
VSOCK=("--vsock" "--vsock -a" "--vsock -aep" "-A vsock_stream" "-A vsock_stream -a" "-f vsock -al"
	"-A vsock_dgram -a")
# sockbox's own --json (iproute2 6.1 has none; its runs just fail), with
# the text listing of the same rows ("@": the guest runs sockbox alone)
JSON=("-Sanime -j:-San" "-danime -j:-dan" "--tipc -ae -j:--tipc -a" "--vsock -ae -j:--vsock -a")

setup_file() {
	export VM=$BATS_FILE_TMPDIR/vm VM_WHY="" VM_FAIL=""
	if [ "${SANITIZE:-}" = 1 ]; then
		VM_WHY="the sanitizer build is not static"
		return 0
	fi
	if dry_run; then
		VM_WHY="a dry run: the guest holds sockbox itself"
		return 0
	fi
	# no boot for a build without any of the families
	local cfg
	cfg=$("$SOCKBOX" --config 2>/dev/null) || true
	if ! grep -qx SS <<<"$cfg" || ! grep -qxE 'SCTP|DCCP|TIPC|VSOCK' <<<"$cfg"; then
		VM_WHY="no ss, or CONFIG_SCTP, DCCP, TIPC and VSOCK all off, in this build"
		return 0
	fi
	local d=$BATS_FILE_TMPDIR rc=0
	printf '%s\n' "${SPEC[@]}" >"$d/spec"
	printf '%s\n' "${SCTP_LIST[@]}" "${SCTP_DETAILS[@]}" "${SCTP_INFO[@]}" \
		"${SCTP_FILTER[@]}" "${DCCP[@]}" "${TIPC[@]}" "${VSOCK[@]}" >"$d/cmds"
	local j
	for j in "${JSON[@]}"; do echo "@${j%%:*}"; done >>"$d/cmds"
	SOCKBOX=$(readlink -f "$SOCKBOX") INITRAMFS_TIMEOUT=${INITRAMFS_TIMEOUT:-90} \
		"$TESTS_DIR/initramfs/families" "$d/spec" "$d/cmds" "$VM" >"$d/families.log" 2>&1 || rc=$?
	case $rc in
	0)	# masked once here, split into stdout/stderr/exit code per run
		cp "$VM/console.log" "$d/masked.log"
		vm_mask "$d/masked.log"
		. "$TESTS_DIR/initramfs/lib.sh"
		vm_split "$d/masked.log" "$VM/cmp" raw ;;
	77) VM_WHY=$(sed -n 's/^families: SKIP: //p' "$d/families.log" | tail -1) ;;
	*) VM_FAIL="tests/initramfs/families exited $rc: $(tail -5 "$d/families.log")" ;;
	esac
}

setup() {
	[ -z "$VM_WHY" ] || skip "$VM_WHY"
	[ -z "$VM_FAIL" ] || fail "$VM_FAIL"
}

# vm_family SYMBOL MODULE...: skip unless sockbox has CONFIG_SYMBOL and the
# guest loaded every MODULE; fail unless the fixture was ready.
vm_family() {
	require_features "$1"
	shift
	local m
	for m in "$@"; do
		[ -f "$VM/res/mod:insmod $m.rc" ] || skip "the kernel has no module $m"
		[ "$(cat "$VM/res/mod:insmod $m.rc")" = 0 ] ||
			fail "insmod $m: $(cat "$VM/res/mod:insmod $m.out")"
	done
	[ "$(cat "$VM/res/fixture:sockfix.rc" 2>/dev/null)" = 0 ] ||
		fail "the fixture failed: $(cat "$VM/res/fixture:sockfix.out" 2>/dev/null)"
}

# vm_mask FILE: ss_mask, and SCTP's T3-rtx timer: its remaining time, and
# its retransmission count, which a window probe's expiry between the two
# runs may raise.
vm_mask() {
	ss_mask "$1"
	sed -E -i 's/timer:\(T3_RTX,[0-9.]+(min|sec|ms)?,[0-9]+\)/timer:(T3_RTX,T,N)/g' "$1"
}

# vm_compare ARGS...: iproute2's and sockbox's stdout for "ss ARGS" in the
# guest, byte for byte after vm_mask, and the same exit code; sockbox says
# nothing on stderr. The reference must list sockets, not a header alone,
# unless $VM_HEADER_ONLY names ARGS.
vm_compare() {
	local f="$VM/cmp/ref:${*//\//_}" g="$VM/cmp/sb:${*//\//_}" rc sbrc n
	[ -f "$f.rc" ] && [ -f "$g.rc" ] || fail "no result for 'ss $*' on the console"
	read -r rc <"$f.rc"
	read -r sbrc <"$g.rc"
	[ "$rc" = "$sbrc" ] || fail "ss $*: exit $sbrc, iproute2 $rc; stderr: $(cat "$g.err")"
	cmp -s "$f.out" "$g.out" ||
		diff -u --label "iproute2 ss $*" --label "sockbox ss $*" "$f.out" "$g.out" | fail
	[ ! -s "$g.err" ] || fail "ss $*: stderr: $(cat "$g.err")"
	mapfile -t -n 2 n <"$f.out"
	[ "${#n[@]}" -gt 1 ] || [ "${VM_HEADER_ONLY:-}" = "$*" ] ||
		fail "ss $*: iproute2 listed no socket"
}

vm_compare_all() {
	local c
	for c in "$@"; do
		# shellcheck disable=SC2086
		vm_compare $c
	done
}

@test "SCTP: -S listings of multi-homed endpoints and their associations" {
	require_features SS IPV6 SERVICES
	vm_family SCTP sctp_diag
	vm_compare_all "${SCTP_LIST[@]}"
	# four one-to-one associations, four one-to-many, as "`- ESTAB" rows
	[ "$(grep -c '^`- ESTAB' "$VM/cmp/ref:-San.out")" -eq 8 ] ||
		fail "expected 8 associations: $(cat "$VM/cmp/ref:-San.out")"
}

@test "SCTP: -e, -o, -p, --tos, --cgroup" {
	require_features SS IPV6 SS_DETAILS PROCESSES
	vm_family SCTP sctp_diag
	vm_compare_all "${SCTP_DETAILS[@]}"
	grep -q 'timer:(T3_RTX,T,N)' "$VM/cmp/ref:-Sano.out" ||
		fail "no T3_RTX timer in: $(cat "$VM/cmp/ref:-Sano.out")"
}

@test "SCTP: -i and -m (locals:, peers:, sctp_info), also with -O and -e -o" {
	require_features SS IPV6 SS_DETAILS SERVICES
	vm_family SCTP sctp_diag
	vm_compare_all "${SCTP_INFO[@]}"
	# the multi-homed lists are there to compare
	grep -q 'locals:127.0.0.1,127.0.0.2,127.0.0.3 peers:127.0.0.4,127.0.0.5 tag:' \
		"$VM/cmp/ref:-Sani.out" || fail "no multi-homed association in: $(cat "$VM/cmp/ref:-Sani.out")"
}

@test "SCTP: filters (ports, addresses, states, expressions)" {
	require_features SS IPV6 FILTER SS_DETAILS SERVICES
	vm_family SCTP sctp_diag
	vm_compare_all "${SCTP_FILTER[@]}"
}

@test "DCCP: -d listings, -e -i -m -o -p, filters" {
	require_features SS IPV6 FILTER SS_DETAILS PROCESSES SERVICES
	vm_family DCCP dccp_diag dccp_ipv6
	vm_compare_all "${DCCP[@]}"
}

@test "TIPC: --tipc listings, --tipcinfo, -e, -p" {
	require_features SS SS_DETAILS PROCESSES
	vm_family TIPC diag
	vm_compare_all "${TIPC[@]}"
}

@test "vsock: --vsock, -A vsock_stream/vsock/vsock_dgram, -f vsock, -e, -p" {
	require_features SS SS_DETAILS PROCESSES
	vm_family VSOCK vsock_diag vsock_loopback
	VM_HEADER_ONLY="-A vsock_dgram -a" vm_compare_all "${VSOCK[@]}"
}

@test "--json of SCTP, DCCP, TIPC and vsock: valid, one object per row; SCTP associations and addresses" {
	require_features SS JSON SS_DETAILS IPV6
	command -v jq >/dev/null || skip "jq not installed"
	python3 -c 'import jsonschema' 2>/dev/null || skip "python3-jsonschema not installed"
	local j c n f sym
	for j in "${JSON[@]}"; do
		c=${j%%:*}
		case $c in -S*) sym=SCTP ;; -d*) sym=DCCP ;; --tipc*) sym=TIPC ;; *) sym=VSOCK ;; esac
		"$SOCKBOX" --config | grep -qx $sym || continue
		f="$VM/cmp/sb:$c"
		[ "$(cat "$f.rc")" = 0 ] || fail "ss $c: exit $(cat "$f.rc"): $(cat "$f.err")"
		run "$TESTS_DIR/lib/json-validate" --as socket "$TESTS_DIR/../docs/sockbox-json.schema.json" "$f.out"
		assert_success
		n=$(grep -vc '^'$'\t' "$VM/cmp/sb:${j#*:}.out")
		[ "$(jq length "$f.out")" -eq $((n - 1)) ] ||
			fail "ss $c: $(jq length "$f.out") objects for $((n - 1)) rows of ss ${j#*:}"
	done
	f="$VM/cmp/sb:-Sanime -j.out"
	[ "$(jq '[.[] | select(.tcp_info != null)] | length' "$f")" = 0 ] ||
		fail "sctp_info read as tcp_info"
	# associations as the text's "`- STATE" rows; the multi-homed lists
	[ "$(jq -r '.[] | select(.sctp_state) | .sctp_state' "$f" | sort | uniq -c | tr -s ' ')" = " 8 ESTAB" ] ||
		fail "sctp_state: $(jq -c '[.[] | .sctp_state]' "$f")"
	jq -e 'any(.[]; .sctp_locals == ["127.0.0.1","127.0.0.2","127.0.0.3"] and
		.sctp_peers == ["127.0.0.4","127.0.0.5"] and .sctp_state == "ESTAB")' "$f" >/dev/null ||
		fail "no multi-homed association: $(jq -c '[.[] | [.sctp_locals, .sctp_peers]]' "$f")"
}
