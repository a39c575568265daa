#!/usr/bin/env bats
# Bad input.  sockbox must exit with the status /usr/bin/ss gives and print
# nothing on stdout, but unlike iproute2 (which dumps its 57-line usage after
# most of these) print exactly one line on stderr, naming the bad token.
#
# Exit statuses measured with iproute2 6.1 (the expected column below):
#   255  getopt errors, bad -A table, bad -f family, bad state word,
#        incomplete "state", filter syntax error, -F file not openable
#   1    filter values: bad port, address, device, mark; -N unknown namespace
# The one-line checks skip in dry-run mode (SOCKBOX_SS set), where the
# reference is compared with itself; the status checks always run.
# No namespace needed: every case fails before any socket is dumped.

load lib/common

setup() {
	require_features SS
}

# err_check STATUS TOKEN ARGS... : both tools exit STATUS, print no stdout;
# sockbox prints one stderr line containing TOKEN (no check if TOKEN empty).
err_check() {
	local want=$1 token=$2 d=$BATS_TEST_TMPDIR
	shift 2
	ss_run_both "$@"
	[ "$REF_RC" -eq "$want" ] ||
		fail "$REF_SS $* exited $REF_RC, expected $want: reference changed?"
	ss_assert_same "$@"
	[ ! -s "$d/sb.out" ] || fail "sockbox wrote to stdout: $(head -3 "$d/sb.out")"
	dry_run && skip "dry run: one-line stderr is sockbox behaviour"
	local n
	n=$(wc -l <"$d/sb.err")
	[ "$n" -eq 1 ] || fail "sockbox printed $n stderr lines, want 1:
$(head -5 "$d/sb.err")"
	[ -z "$token" ] || grep -qF -- "$token" "$d/sb.err" ||
		fail "stderr does not mention '$token': $(cat "$d/sb.err")"
}

# --- option parsing: 255 ------------------------------------------------

@test "unknown short option -Y" {
	err_check 255 Y -Y
}

@test "unknown long option --bogus" {
	err_check 255 bogus --bogus
}

@test "-f without argument" {
	err_check 255 f -f
}

@test "-A without argument" {
	err_check 255 A -A
}

@test "-D without argument" {
	err_check 255 D -D
}

@test "-A foo (unknown table)" {
	err_check 255 foo -A foo
}

@test "-A tcp,foo (unknown table after a good one)" {
	err_check 255 foo -A tcp,foo
}

@test "-A '!foo' (unknown excluded table)" {
	err_check 255 foo -A '!foo'
}

@test "-A help (not a table)" {
	err_check 255 help -A help
}

@test "-f foo (unknown family)" {
	err_check 255 foo -f foo
}

@test "-4 -f bogus" {
	err_check 255 bogus -4 -f bogus
}

@test "-F /nonexistent (filter file)" {
	err_check 255 /nonexistent -F /nonexistent
}

# --- state words: 255 ---------------------------------------------------

@test "state foo" {
	err_check 255 foo state foo
}

@test "exclude foo" {
	err_check 255 foo exclude foo
}

@test "-t excl bogus" {
	err_check 255 bogus -t excl bogus
}

@test "-t state new-syn-recv (not accepted by ss)" {
	err_check 255 new-syn-recv -t state new-syn-recv
}

@test "state without a name" {
	err_check 255 "" state
}

# --- filter expressions -------------------------------------------------

@test "filter syntax error: unbalanced parenthesis" {
	err_check 255 "" '(' sport = :22
}

@test "filter syntax error: src without address" {
	err_check 255 "" -x src
}

@test "sport = :foo (not a port)" {
	err_check 1 foo sport = :foo
}

@test "dst 1.2.3.4.5 (not an address)" {
	err_check 1 1.2.3.4.5 dst 1.2.3.4.5
}

@test "src ::1 (unbracketed IPv6 with port split)" {
	err_check 1 "" src ::1
}

@test "state word after an expression" {
	err_check 1 state sport = :22 state listening
}

@test "dev = nosuchdev" {
	err_check 1 nosuchdev dev = nosuchdev
}

@test "fwmark = zz" {
	err_check 1 zz fwmark = zz
}

@test "-N nosuchns (unknown namespace)" {
	err_check 1 nosuchns -N sbtest-nosuchns
}
