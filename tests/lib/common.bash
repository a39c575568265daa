# Shared bats helpers for the sockbox tests.  Load with: load lib/common
#
# Environment:
#   SOCKBOX     the multicall binary (default: repository root ./sockbox)
#   SOCKBOX_SS  command used instead of "$SOCKBOX ss", split on blanks;
#               SOCKBOX_SS=/usr/bin/ss dry-runs the suite against itself
#   REF_SS      the reference ss (default /usr/bin/ss)
#   SOCKFIX     the fixture binary (default tests/fixture/sockfix, built
#               from sockfix.c with the host cc when missing or stale)

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

TESTS_DIR=$(cd "$BATS_TEST_DIRNAME" && pwd)
SOCKBOX=${SOCKBOX:-$TESTS_DIR/../sockbox}
REF_SS=${REF_SS:-/usr/bin/ss}
SOCKFIX=${SOCKFIX:-$TESTS_DIR/fixture/sockfix}

# true when the tests run some other ss in place of sockbox
dry_run() { [ -n "${SOCKBOX_SS:-}" ]; }

# Why root-only tests cannot run here, or nothing.
root_missing() {
	[ "$(id -u)" -eq 0 ] || { echo "needs root (network namespaces)"; return; }
	command -v ip >/dev/null || echo "needs ip(8) from iproute2"
}

# In a test (or setup): skip unless root.
require_root() {
	local why
	why=$(root_missing)
	[ -z "$why" ] || skip "$why"
}

# In a test (or setup): skip unless the binary was built with every
# CONFIG_ symbol named (`sockbox --config`), so trimmed builds run the suite.
require_features() {
	dry_run && return 0
	local have sym
	have=$("$SOCKBOX" --config 2>/dev/null) || fail "$SOCKBOX --config failed"
	for sym in "$@"; do
		grep -qx "$sym" <<<"$have" || skip "CONFIG_$sym is off in this build"
	done
}

# The command line that runs "sockbox ss": prints nothing, sets SB_SS array.
sockbox_cmd() {
	if dry_run; then
		read -ra SB_SS <<<"$SOCKBOX_SS"
	else
		[ -x "$SOCKBOX" ] || fail "sockbox not found at $SOCKBOX (run make, or set SOCKBOX_SS)"
		SB_SS=("$SOCKBOX" ss)
	fi
}

# Build the fixture if it is missing or older than its source.
fixture_build() {
	local src=$TESTS_DIR/fixture/sockfix.c
	[ -x "$SOCKFIX" ] && [ "$SOCKFIX" -nt "$src" ] && return 0
	"${HOSTCC:-cc}" -O2 -Wall -Wextra -o "$SOCKFIX" "$src" ||
		fail "cannot build $SOCKFIX"
}

# One namespace per test file, loopback up.  Call from setup_file, pair with
# netns_teardown in teardown_file (bats runs it even when setup_file fails)
# and call netns_require from setup: bats 1.8 cannot skip in setup_file, so
# without root this only records why, and netns_require skips every test.
netns_setup() {
	export NETNS_SKIP NS="" FIXTURE_PIDS=""
	NETNS_SKIP=$(root_missing)
	[ -z "$NETNS_SKIP" ] || return 0
	local base=${BATS_TEST_FILENAME##*/}
	NS="sbtest-${base%.bats}-$$"
	ip netns add "$NS" || fail "cannot create namespace $NS"
	ip netns exec "$NS" ip link set lo up || fail "cannot bring up lo in $NS"
}

netns_require() {
	[ -z "${NETNS_SKIP:-}" ] || skip "$NETNS_SKIP"
}

netns_teardown() {
	[ -n "${NS:-}" ] || return 0
	fixture_stop
	# stray processes left inside our namespace (forked fixture children)
	local pid i
	for pid in $(ip netns pids "$NS" 2>/dev/null); do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for ((i = 0; i < 200; i++)); do
		[ -z "$(ip netns pids "$NS" 2>/dev/null)" ] && break
		sleep 0.01
	done
	ip netns del "$NS" 2>/dev/null || true
	NS=""
}

# fixture_start LINE... : run sockfix in $NS with these spec lines and wait
# (up to 10 s) until it reports ready.  Several fixtures may run at once.
fixture_start() {
	[ -z "${NETNS_SKIP:-}" ] || return 0
	fixture_build
	local dir=${BATS_FILE_TMPDIR:-$BATS_TEST_TMPDIR} tag=$RANDOM$RANDOM pid i
	local ready=$dir/fixture.$tag.ready err=$dir/fixture.$tag.err
	# 3>&- : bats waits for fd 3 to close, a background fixture must not hold it
	ip netns exec "$NS" "$SOCKFIX" -r "$ready" "$@" >/dev/null 2>"$err" 3>&- &
	pid=$!
	export FIXTURE_PIDS="$FIXTURE_PIDS $pid"
	for ((i = 0; i < 1000; i++)); do
		[ -e "$ready" ] && return 0
		kill -0 "$pid" 2>/dev/null || fail "sockfix died: $(cat "$err")"
		sleep 0.01
	done
	fail "sockfix not ready after 10s: $(cat "$err")"
}

fixture_stop() {
	local pid
	for pid in ${FIXTURE_PIDS:-}; do
		kill -TERM "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	FIXTURE_PIDS=""
}

# Run reference ss and sockbox ss with ARGS, inside $NS when it is set,
# stdout and stderr to files, stdin from /dev/null.  Sets REF_RC, SB_RC and
# the files $BATS_TEST_TMPDIR/{ref,sb}.{out,err}.
ss_run_both() {
	sockbox_cmd
	trimmed_require "$@"
	local d=$BATS_TEST_TMPDIR in=()
	[ -n "${NS:-}" ] && in=(ip netns exec "$NS")
	REF_RC=0 SB_RC=0
	"${in[@]}" "$REF_SS" "$@" >"$d/ref.out" 2>"$d/ref.err" </dev/null || REF_RC=$?
	"${in[@]}" "${SB_SS[@]}" "$@" >"$d/sb.out" 2>"$d/sb.err" </dev/null || SB_RC=$?
	trimmed_skip "$d/sb.err"
}

# SOCKBOX_TRIMMED=1 (set by configs.bats for builds in config/ that leave
# features out): an `ss ARGS` comparison needs the features the reference
# uses implicitly — service names unless -n, every default table unless
# tables are chosen — and skips when sockbox says that what was asked for
# is "not enabled in this build".  Never set for the default build.
trimmed_require() {
	[ -n "${SOCKBOX_TRIMMED:-}" ] || return 0
	local a numeric="" tables="" inet=""
	for a in "$@"; do
		case $a in
		--numeric) numeric=1 ;;
		--tcp|--udp|--raw|--unix|--packet|--sctp|--dccp|--mptcp|--vsock|--tipc|--xdp) tables=1 ;;
		inet|inet6|--inet|--inet6) inet=1 ;;
		-[!-]*)
			[[ $a != *n* ]] || numeric=1
			[[ $a != *[tuwx0SdMAf]* ]] || tables=1 ;;
		esac
	done
	[ -n "$numeric" ] || require_features SERVICES
	[ -n "$tables" ] || require_features UNIX RAW PACKET NETLINK
	[ -z "$inet" ] || require_features RAW	# the inet tables include raw
}

trimmed_skip() {
	[ -n "${SOCKBOX_TRIMMED:-}" ] && [ "$SB_RC" != 0 ] || return 0
	grep -q 'not enabled in this build' "$1" && skip "$(head -1 "$1")"
	return 0
}

# Assert $BATS_TEST_TMPDIR/{ref,sb}.out identical and REF_RC == SB_RC.
ss_assert_same() {
	local d=$BATS_TEST_TMPDIR label="ss $*"
	if cmp -s "$d/ref.out" "$d/sb.out" && [ "$REF_RC" = "$SB_RC" ]; then
		return 0
	fi
	{
		echo "MISMATCH for: $label"
		echo "exit status: $REF_SS=$REF_RC sockbox=$SB_RC"
		diff -u --label "$REF_SS $*" --label "sockbox $*" "$d/ref.out" "$d/sb.out"
		echo "--- stderr of $REF_SS:"; head -5 "$d/ref.err"
		echo "--- stderr of sockbox:"; head -5 "$d/sb.err"
	} | fail
}

# ss_compare ARGS... : byte-identical stdout and identical exit status.
ss_compare() {
	ss_run_both "$@"
	ss_assert_same "$@"
}

# ss_compare_nonl ARGS... : like ss_compare, but first drops the "nl" rows.
# Netlink rows include the ss process's own dump socket ("tcpdiag:ss/PID"),
# which differs between any two runs (pid, name, Recv-Q and hash position).
# Dropping rows is only sound while the other rows set every column width,
# so the fixture must hold e.g. a unix path longer than "sock_diag:" and a
# port name longer than "sockbox/32768" (pid_max 32768; 8990 is
# clc-build-daemon).  That is checked: the reference's output without the nl
# rows must equal its output for -A 'all,!netlink' ARGS (so ARGS must not
# select tables themselves).
ss_compare_nonl() {
	ss_run_both "$@"
	local d=$BATS_TEST_TMPDIR f
	for f in ref sb; do
		grep -v '^nl ' "$d/$f.out" >"$d/$f.nonl" || true
		mv "$d/$f.nonl" "$d/$f.out"
	done
	ss_assert_same "$@"
	ip netns exec "$NS" "$REF_SS" -A 'all,!netlink' "$@" >"$d/ref.nonl" 2>/dev/null || true
	cmp -s "$d/ref.out" "$d/ref.nonl" || {
		echo "netlink rows set a column width: the fixture must widen the columns"
		diff -u --label "ss $* without nl rows" --label "ss -A all,!netlink $*" \
			"$d/ref.out" "$d/ref.nonl"
	} | fail
}

# Lines in the last reference output (header included): guards against
# comparisons that pass only because both tools print nothing.
ref_lines() { wc -l <"$BATS_TEST_TMPDIR/ref.out"; }

# ss_mask FILE: replace, field by field, the values that change between two
# runs on an idle fixture (timer remaining time; rtt, rto, ato and the other
# clocks; rates; time since the last packet; busy time; the global TCP
# allocation count and the host-wide socket total of -s), then drop the
# padding after the last column,
# whose width follows those values.  Field names and layout stay.
ss_mask() {
	sed -E -i \
		-e 's/timer:\(([a-z]+),[0-9.]+(min|sec|ms)?,/timer:(\1,T,/g' \
		-e 's/ (rtt|rcv_rtt|minrtt|rto|ato):[0-9.]+(\/[0-9.]+)?/ \1:N/g' \
		-e 's/ (lastsnd|lastrcv|lastack):[0-9]+/ \1:N/g' \
		-e 's/ (send|pacing_rate|delivery_rate) [0-9.]+[kMGT]?bps(\/[0-9.]+[kMGT]?bps)?/ \1 Rbps/g' \
		-e 's/bbr:\(bw:[0-9.]+[kMGT]?bps,mrtt:[0-9.]+/bbr:(bw:Rbps,mrtt:N/g' \
		-e 's/ (busy|rwnd_limited|sndbuf_limited):[0-9]+ms(\([0-9.]+%\))?/ \1:Nms/g' \
		-e 's/^TCP:   [0-9]+ \(estab ([0-9]+), closed -?[0-9]+,/TCP:   N (estab \1, closed N,/' \
		-e 's/^Total: [0-9]+$/Total: N/' \
		-e 's/[ ]+$//' "$1"
}

# ss_compare_masked ARGS... : like ss_compare, after ss_mask on both outputs.
ss_compare_masked() {
	ss_run_both "$@"
	ss_mask "$BATS_TEST_TMPDIR/ref.out"
	ss_mask "$BATS_TEST_TMPDIR/sb.out"
	ss_assert_same "$@"
}
