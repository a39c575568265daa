#!/usr/bin/env bats
# The multicall front end: dispatch, --list, --install, errors.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

bats_require_minimum_version 1.5.0

SOCKBOX=${SOCKBOX:-$BATS_TEST_DIRNAME/../sockbox}

setup() {
	[ -x "$SOCKBOX" ] || skip "sockbox not built"
	SOCKBOX=$(readlink -f "$SOCKBOX")
	TMP=$(mktemp -d)
}

teardown() {
	rm -rf "$TMP"
}

enabled() {
	"$SOCKBOX" --list | grep -qx "$1"
}

@test "sockbox is a static binary" {
	command -v file >/dev/null || skip "file(1) not installed"
	[ "${SANITIZE:-}" != 1 ] || skip "sanitizer builds are dynamic"
	run file "$SOCKBOX"
	assert_output --partial "statically linked"
}

@test "--list prints exactly the enabled applets, one per line" {
	run "$SOCKBOX" --list
	assert_success
	local config
	config=$("$SOCKBOX" --config)
	expected=""
	for a in ss netstat sockstat; do
		grep -qx "${a^^}" <<<"$config" && expected+="$a"$'\n'
	done
	assert_output "${expected%$'\n'}"
}

@test "--config lists the .config's enabled symbols" {
	local conf=$BATS_TEST_DIRNAME/../include/config/auto.conf
	[ "$SOCKBOX" -nt "$conf" ] && [ -z "${SOCKBOX_TRIMMED:-}" ] ||
		skip "$SOCKBOX was not built from this tree's .config"
	run "$SOCKBOX" --config
	assert_success
	assert_output "$(sed -n 's/^CONFIG_\([A-Z0-9_]*\)=y$/\1/p' "$conf" | sort)"
}

@test "--version prints the version" {
	run "$SOCKBOX" --version
	assert_success
	assert_output --regexp '^sockbox [0-9]+\.[0-9]+\.[0-9]+$'
}

@test "--help lists the applets on stdout" {
	run "$SOCKBOX" --help
	assert_success
	assert_line --partial "Usage: sockbox APPLET"
	assert_line --regexp "^Applets:( [a-z]+)+$"
}

@test "no arguments: usage on stderr, exit 1" {
	run --separate-stderr "$SOCKBOX"
	assert_failure 1
	[ -z "$output" ]
	[[ "$stderr" == *"Usage: sockbox"* ]]
}

@test "unknown applet: one line on stderr, exit 127" {
	run -127 --separate-stderr "$SOCKBOX" frobnicate -x
	[ -z "$output" ]
	[ "$stderr" = "sockbox: frobnicate: applet not found" ]
}

@test "argv[0] dispatch through a symlink with a path" {
	enabled ss || skip "ss not enabled"
	ln -s "$SOCKBOX" "$TMP/ss"
	run "$TMP/ss" -V
	assert_success
	assert_output --partial "ss utility, iproute2-6.1.0"
}

@test "argv[0] of sockbox itself under another directory still dispatches on argv[1]" {
	enabled ss || skip "ss not enabled"
	cp "$SOCKBOX" "$TMP/sockbox"
	run "$TMP/sockbox" ss -V
	assert_success
	assert_output --partial "ss utility"
}

@test "--install DIR creates a symlink per applet pointing at the binary" {
	run "$SOCKBOX" --install "$TMP"
	assert_success
	for a in $("$SOCKBOX" --list); do
		[ -L "$TMP/$a" ]
		[ "$(readlink "$TMP/$a")" = "$SOCKBOX" ]
	done
	[ "$(ls "$TMP" | wc -l)" -eq "$("$SOCKBOX" --list | wc -l)" ]
}

@test "--install -s DIR is the same as --install DIR" {
	run "$SOCKBOX" --install -s "$TMP"
	assert_success
	a=$("$SOCKBOX" --list | head -1)
	[ -L "$TMP/$a" ]
}

@test "--install refuses to overwrite a regular file, -f replaces it" {
	a=$("$SOCKBOX" --list | head -1)
	echo precious > "$TMP/$a"
	run --separate-stderr "$SOCKBOX" --install "$TMP"
	assert_failure 1
	[ "$(cat "$TMP/$a")" = precious ]
	[[ "$stderr" == *"$TMP/$a exists and is not a link (use -f)"* ]]
	run "$SOCKBOX" --install -f "$TMP"
	assert_success
	[ -L "$TMP/$a" ]
}

@test "--install replaces an existing symlink" {
	a=$("$SOCKBOX" --list | head -1)
	ln -s /nonexistent "$TMP/$a"
	run "$SOCKBOX" --install "$TMP"
	assert_success
	[ "$(readlink "$TMP/$a")" = "$SOCKBOX" ]
}

@test "--install without a directory is a one-line error" {
	run --separate-stderr "$SOCKBOX" --install
	assert_failure 1
	[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
}

@test "--install into a missing directory reports each failure" {
	run --separate-stderr "$SOCKBOX" --install "$TMP/missing"
	assert_failure 1
	[[ "$stderr" == *"No such file or directory"* ]]
}

@test "ss: a bad option is one line on stderr and exit 255" {
	enabled ss || skip "ss not enabled"
	run --separate-stderr "$SOCKBOX" ss -Y
	assert_failure 255
	[ -z "$output" ]
	[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
	[[ "$stderr" == "ss: invalid option -- 'Y'"* ]]
}

@test "ss: a bad long option names it" {
	enabled ss || skip "ss not enabled"
	run --separate-stderr "$SOCKBOX" ss --frob
	assert_failure 255
	[[ "$stderr" == "ss: unrecognized option '--frob'"* ]]
}

@test "ss -tan | head -1 exits quietly" {
	enabled ss || skip "ss not enabled"
	run bash -c "set -o pipefail; '$SOCKBOX' ss -tan 2>'$TMP/err' | head -1; echo \"rc=\${PIPESTATUS[0]}\""
	[ ! -s "$TMP/err" ]
	assert_line --index 0 --regexp '^State +Recv-Q'
}

@test "ss: output to a full disk is a clear error and non-zero exit" {
	enabled ss || skip "ss not enabled"
	[ -w /dev/full ] || skip "no /dev/full"
	run --separate-stderr bash -c "'$SOCKBOX' ss -tan >/dev/full"
	assert_failure 1
	[ "$stderr" = "ss: write error: No space left on device" ]
}
