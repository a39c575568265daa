#!/usr/bin/env bats
# libsock's netlink parsing on hand-built and hand-broken buffers
# (tests/unit/nl_test.c; `make tests/unit/nl_test` builds it).

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

NL_TEST=$BATS_TEST_DIRNAME/unit/nl_test

setup() {
	[ -x "$NL_TEST" ] || skip "tests/unit/nl_test not built (make check builds it)"
}

nl_case() {
	run "$NL_TEST" "$1"
	assert_success
	assert_output ""
}

@test "nl: two messages then NLMSG_DONE" { nl_case two_then_done; }
@test "nl: a datagram without NLMSG_DONE asks for more" { nl_case more_to_come; }
@test "nl: nlmsg_len beyond the datagram is EBADMSG" { nl_case len_beyond_buffer; }
@test "nl: nlmsg_len below the header size is EBADMSG" { nl_case len_below_header; }
@test "nl: stray bytes after the last message are EBADMSG" { nl_case partial_header; }
@test "nl: NLMSG_ERROR carries its errno" { nl_case error_errno; }
@test "nl: a truncated NLMSG_ERROR is EBADMSG" { nl_case error_truncated; }
@test "nl: an ACK (error 0) is not an error" { nl_case ack_is_not_error; }
@test "nl: NLMSG_DONE carrying -errno (no diag module) is that error" { nl_case done_with_errno; }
@test "nl: answers to another sequence number are skipped" { nl_case foreign_seq_skipped; }
@test "nl: NLM_F_DUMP_INTR is reported" { nl_case dump_intr; }
@test "nl: a callback's non-zero value stops the walk" { nl_case callback_stops; }
@test "nl: attributes land in their slots, unknown ones ignored" { nl_case attrs; }
@test "nl: an attribute longer than the buffer stops the walk, keeps the earlier ones" { nl_case attr_overrun; }
@test "nl: an attribute shorter than its header is rejected" { nl_case attr_short_len; }
@test "nl: reused attribute tables drop the previous message's slots" { nl_case attr_again; }

@test "nl: a dump through nl_recv_dump, its thread starting at once, later or never: every message, in order" { nl_case dump_order; }
@test "nl: a dump ending in an error, a bad or too big datagram, or stopped by its caller ends with its thread (no hang)" { nl_case dump_ends_early; }

@test "nl: an unknown case name fails (the runner can fail)" {
	run "$NL_TEST" no_such_case
	assert_failure 2
}

@test "fmt: sb_snprintf matches the C library on sockbox's formats" {
	[ -x "$BATS_TEST_DIRNAME/unit/fmt_test" ] || skip "tests/unit/fmt_test not built (make check builds it)"
	run "$BATS_TEST_DIRNAME/unit/fmt_test"
	assert_success
	assert_output ""
}

@test "glob: unix path patterns match as glibc's fnmatch(FNM_CASEFOLD)" {
	[ -x "$BATS_TEST_DIRNAME/unit/glob_test" ] || skip "tests/unit/glob_test not built (make check builds it)"
	run "$BATS_TEST_DIRNAME/unit/glob_test"
	assert_success
	assert_output ""
}

@test "fmtfloat: fmt_double matches glibc's %g and %f on ss -i's fractions" {
	[ -x "$BATS_TEST_DIRNAME/unit/fmtfloat_test" ] || skip "tests/unit/fmtfloat_test not built (make check builds it)"
	run "$BATS_TEST_DIRNAME/unit/fmtfloat_test"
	assert_success
	assert_output ""
}
