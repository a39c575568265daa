# sockbox: one static multicall binary for ss, netstat and sockstat.
# `make` builds ./sockbox from .config (the defconfig when there is none);
# `make help` lists the targets.

VERSION := 0.1.0

# CROSS_COMPILE=aarch64-linux-gnu- on Debian: that gcc with the target's
# musl (musl-dev:ARCH ships the specs file musl-gcc uses natively).
ifneq ($(CROSS_COMPILE),)
CROSS_SPECS := /usr/lib/$(patsubst %-linux-gnu,%-linux-musl,$(CROSS_COMPILE:%-=%))/musl-gcc.specs
CC := $(CROSS_COMPILE)gcc $(if $(wildcard $(CROSS_SPECS)),-specs $(CROSS_SPECS))
else ifeq ($(origin CC),default)
CC := musl-gcc
endif
HOSTCC ?= cc
STRIP ?= $(CROSS_COMPILE)strip
KCONFIG_CONF ?= kconfig-conf
KCONFIG_MCONF ?= kconfig-mconf

# musl-gcc searches no kernel headers; point it at the uapi directories
# only (linux/, asm/, asm-generic/), never at glibc's /usr/include.
UAPI ?= /usr/include
UAPI_ARCH ?= $(UAPI)/$(shell $(CC) -print-multiarch 2>/dev/null)
UAPI_DIR := build/uapi

ifeq ($(V),1)
Q :=
else
Q := @
endif

-include include/config/auto.conf

# -Oz and one whole-program LTO partition: about 3 KiB less than plain -Os
# in defconfig, which keeps it inside its 160 KiB budget.
OPT := -Oz -flto -flto-partition=one
ifeq ($(CONFIG_DEBUG),y)
OPT := -O0 -g
endif
CFLAGS ?= $(OPT)
CFLAGS += -std=gnu11 -Wall -Wextra -Wno-unused-parameter \
	-ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables \
	-fno-stack-protector
CPPFLAGS += -Iinclude -isystem $(UAPI_DIR) -D_GNU_SOURCE -DSOCKBOX_VERSION='"$(VERSION)"'
# One page less of padding before the data segment: it may share the
# last text page (offset and address stay congruent).
LDFLAGS += $(filter -O% -flto%,$(OPT)) -Wl,--gc-sections -Wl,-z,noseparate-code -Wl,--build-id=none -Wl,-z,norelro \
	-Wl,-z,common-page-size=64 -Wl,-z,max-page-size=4096
ifeq ($(CONFIG_STATIC),y)
LDFLAGS += -static
endif
# SANITIZE=1: an ASan+UBSan build with clang and glibc (the sanitizers'
# runtimes need it), kept apart in build/san and ./sockbox-san; `make
# check SANITIZE=1` runs the whole suite against it.
BIN := sockbox
OBJ := build/obj
ifeq ($(SANITIZE),1)
CC := clang
CFLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -std=gnu11 -Wall -Wextra -Wno-unused-parameter
CPPFLAGS := -Iinclude -D_GNU_SOURCE -DSOCKBOX_VERSION='"$(VERSION)"'
LDFLAGS := -fsanitize=address,undefined
BIN := sockbox-san
OBJ := build/san
endif

srcs-y := applets/sockbox.c $(wildcard libsock/*.c)
srcs-$(CONFIG_SS) += $(wildcard applets/ss/*.c)
srcs-$(CONFIG_NETSTAT) += $(wildcard applets/netstat/*.c)
srcs-$(CONFIG_SOCKSTAT) += $(wildcard applets/sockstat/*.c)
objs := $(patsubst %.c,$(OBJ)/%.o,$(srcs-y))

all: $(BIN)

ifeq ($(wildcard .config),)
$(BIN): defconfig
endif

sockbox: $(objs)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@.unstripped $(objs)
	$(Q)$(STRIP) -o $@ $@.unstripped 2>/dev/null || cp $@.unstripped $@

sockbox-san: $(objs)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $(objs)

$(OBJ)/%.o: %.c include/generated/autoconf.h | $(UAPI_DIR)
	@echo "  CC      $<"
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

-include $(objs:.o=.d)

$(UAPI_DIR):
	$(Q)mkdir -p $@
	$(Q)ln -sfn $(UAPI)/linux $@/linux
	$(Q)ln -sfn $(UAPI)/asm-generic $@/asm-generic
	$(Q)ln -sfn $(UAPI_ARCH)/asm $@/asm

# --- configuration -------------------------------------------------------
KCONFIG_ENV := KCONFIG_AUTOCONFIG=include/config/auto.conf \
	KCONFIG_AUTOHEADER=include/generated/autoconf.h \
	KCONFIG_TRISTATE=include/config/tristate.conf

include/config/auto.conf include/generated/autoconf.h: .config Kconfig
	$(Q)mkdir -p include/config include/generated
	$(Q)$(KCONFIG_CONF) -s --olddefconfig Kconfig	# new symbols: defaults, no prompts
	$(Q)$(KCONFIG_ENV) $(KCONFIG_CONF) -s --silentoldconfig Kconfig
	$(Q)sed -n 's/^CONFIG_\([A-Z0-9_]*\)=y$$/"\1\\n"/p' include/config/auto.conf | sort \
		> include/generated/features.h

.config:
	$(Q)$(KCONFIG_CONF) -s --defconfig=config/defconfig Kconfig

menuconfig:
	$(Q)$(KCONFIG_MCONF) Kconfig

defconfig:
	$(Q)$(KCONFIG_CONF) -s --defconfig=config/defconfig Kconfig

%_defconfig: config/%_defconfig
	$(Q)$(KCONFIG_CONF) -s --defconfig=$< Kconfig

allnoconfig allyesconfig olddefconfig alldefconfig:
	$(Q)$(KCONFIG_CONF) -s --$@ Kconfig

randconfig:
	$(Q)$(KCONFIG_CONF) -s --randconfig Kconfig

savedefconfig: .config
	$(Q)$(KCONFIG_CONF) -s --savedefconfig=defconfig Kconfig
	@echo "  GEN     defconfig"

# --- dependencies (Debian), tests, install --------------------------------
# Everything the build and `make check` need; .ci/run uses the same list.
DEB_PACKAGES := make musl-tools linux-libc-dev kconfig-frontends gcc libc6-dev \
	bats bats-support bats-assert iproute2 net-tools jq file procps \
	python3-jsonschema clang valgrind qemu-system-x86 linux-image-amd64 busybox-static cpio
# The aarch64 cross build that tests/configs.bats checks, run by qemu-user.
DEB_CROSS_PACKAGES := gcc-aarch64-linux-gnu musl-dev:arm64 linux-libc-dev:arm64 \
	qemu-user-static
deps:
	dpkg --add-architecture arm64
	DEBIAN_FRONTEND=noninteractive apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		$(DEB_PACKAGES) $(DEB_CROSS_PACKAGES)

# --- tests, install --------------------------------------------------------
tests/fixture/sockfix: tests/fixture/sockfix.c
	$(Q)$(HOSTCC) -O2 -Wall -Wextra -o $@ $<

# make check: the suite against ./sockbox, then against ./sockbox-san
# (tests/check). make check SANITIZE=1: the sanitizer pass alone, with
# LeakSanitizer off (an applet leaves its memory to exit by design;
# tests/valgrind.bats checks definite leaks instead).
check_deps := tests/fixture/sockfix tests/fixture/churn tests/fixture/hostile \
	tests/unit/nl_test tests/unit/fmt_test tests/unit/glob_test tests/unit/fmtfloat_test
ifeq ($(SANITIZE),1)
check: $(BIN) $(check_deps)
	$(Q)ASAN_OPTIONS=detect_leaks=0 SOCKBOX=$(abspath $(BIN)) SANITIZE=1 tests/run
else
check: $(BIN) $(check_deps)
	$(Q)$(MAKE) --no-print-directory SANITIZE=1 sockbox-san
	$(Q)tests/check $(abspath sockbox) $(abspath sockbox-san)
endif

PREFIX ?= /usr/local
# Relative links, so that DESTDIR staging trees stay valid when moved.
install: sockbox
	install -D -m 755 sockbox $(DESTDIR)$(PREFIX)/bin/sockbox
	for a in $$(./sockbox --list); do ln -sfn sockbox $(DESTDIR)$(PREFIX)/bin/$$a; done
	for m in docs/*.[18]; do install -D -m 644 $$m $(DESTDIR)$(PREFIX)/share/man/man$${m##*.}/$${m##*/}; done

clean:
	rm -rf build sockbox sockbox.unstripped sockbox-san tests/fixture/sockfix tests/unit/nl_test tests/unit/fmt_test tests/unit/glob_test tests/unit/fmtfloat_test

distclean: clean
	rm -rf .config .config.old include/config include/generated

help:
	@echo "Targets: all (default) menuconfig defconfig NAME_defconfig allnoconfig"
	@echo "         allyesconfig olddefconfig savedefconfig randconfig"
	@echo "         deps (apt-get what build and tests need) check install clean distclean"
	@echo "Variables: V=1 CC= CROSS_COMPILE= PREFIX= DESTDIR= SANITIZE=1"

.PHONY: all menuconfig defconfig allnoconfig allyesconfig olddefconfig \
	alldefconfig randconfig savedefconfig check install clean distclean help

tests/unit/nl_test: tests/unit/nl_test.c libsock/nl.c libsock/util.c | $(UAPI_DIR)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ tests/unit/nl_test.c libsock/nl.c libsock/util.c

# glob_test compares with glibc's fnmatch, the one iproute2 uses: host cc.
tests/unit/glob_test: tests/unit/glob_test.c libsock/glob.c
	$(Q)$(HOSTCC) -Iinclude -Wall -Wextra -o $@ $^

# fmtfloat_test compares with glibc's printf, as iproute2 prints: host cc.
tests/unit/fmtfloat_test: tests/unit/fmtfloat_test.c libsock/fmtfloat.c libsock/out.c libsock/util.c | $(UAPI_DIR)
	$(Q)$(HOSTCC) -Iinclude -isystem $(UAPI_DIR) -D_GNU_SOURCE -O2 -Wall -Wextra -o $@ $^ -lm

tests/unit/fmt_test: tests/unit/fmt_test.c libsock/util.c libsock/out.c | $(UAPI_DIR)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -Wno-format-truncation -o $@ $^

# Stripped size of every configuration in config/ (Markdown table).
size:
	$(Q)tests/size-table

tests/fixture/churn: tests/fixture/churn.c
	$(Q)$(HOSTCC) -O2 -Wall -Wextra -o $@ $<

tests/fixture/hostile: tests/fixture/hostile.c
	$(Q)$(HOSTCC) -O2 -Wall -Wextra -o $@ $<

# --- fuzzing (clang libFuzzer + ASan + UBSan) ------------------------------
# Every tests/fuzz/NAME_fuzz.c is a target linked with all of libsock; its
# seed corpus is tests/fuzz/corpus/NAME. `make fuzz FUZZ_SECONDS=600` for a
# long run; new inputs go to build/fuzz/NAME-corpus, not into the tree.
FUZZ_SECONDS ?= 10
FUZZ_CC ?= clang
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-std=gnu11 -Iinclude -D_GNU_SOURCE -DSOCKBOX_VERSION='"$(VERSION)"'
fuzz_targets := $(patsubst tests/fuzz/%_fuzz.c,build/fuzz/%_fuzz,$(wildcard tests/fuzz/*_fuzz.c))

build/fuzz/%_fuzz: tests/fuzz/%_fuzz.c $(wildcard libsock/*.c) include/generated/autoconf.h
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(wildcard libsock/*.c) $(FUZZ_SRCS) $(FUZZ_LDFLAGS)

# The options target runs the applet mains with the calls that would act
# wrapped (tests/fuzz/options_fuzz.c says how).
comma := ,
build/fuzz/options_fuzz: FUZZ_SRCS = $(wildcard applets/ss/*.c applets/netstat/*.c applets/sockstat/*.c)
build/fuzz/options_fuzz: FUZZ_LDFLAGS = $(patsubst %,-Wl$(comma)--wrap=%,exit sleep write sb_fopen open sk_host_addrs sk_host_name \
	ss_follow sock_dump ns_routes ns_interfaces ns_groups sk_netns_enter procmap_build procmap_free)
build/fuzz/options_fuzz: $(wildcard applets/*/*.c applets/*/*.h)

fuzz-build: $(fuzz_targets)

# one rule per target, so that make -j runs them side by side
fuzz: $(patsubst build/fuzz/%_fuzz,fuzz-run-%,$(fuzz_targets))

fuzz-run-%: build/fuzz/%_fuzz
	@mkdir -p build/fuzz/$*-corpus
	@echo "  FUZZ    $* ($(FUZZ_SECONDS) s)"
	$(Q)$< -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
		build/fuzz/$*-corpus tests/fuzz/corpus/$* 2>build/fuzz/$*.log || \
		{ tail -40 build/fuzz/$*.log; exit 1; }
	$(Q)grep -E 'stat::number_of_executed_units|stat::peak_rss' build/fuzz/$*.log

# valgrind over a representative subset of the applets (also in make check).
check-valgrind: sockbox tests/fixture/sockfix
	$(Q)SOCKBOX=$(abspath sockbox) tests/run tests/valgrind.bats

# The churn and fault tests N times in a row (default 20); stops at the
# first failing round.
N ?= 20
check-repeat: $(BIN) tests/fixture/sockfix tests/fixture/churn tests/fixture/hostile
	$(Q)for i in $$(seq $(N)); do \
		echo "  ROUND   $$i/$(N)"; \
		SOCKBOX=$(abspath $(BIN)) SANITIZE=$(SANITIZE) tests/run tests/reliability.bats \
			>build/check-repeat.log 2>&1 || { cat build/check-repeat.log; exit 1; }; \
		tail -1 build/check-repeat.log; \
	done

# Boots Debian's kernel with sockbox in a bare initramfs under qemu (TCG):
# /proc fallbacks without diag modules, netlink with them, no /proc at all.
# Exit 77 means a prerequisite is missing (skip).
check-initramfs: $(BIN)
	$(Q)SOCKBOX=$(abspath $(BIN)) tests/initramfs/run

# --- benchmark (not part of check): bench/README.md ------------------------
BENCH_TOOLS := build/bench/populate build/bench/runone build/bench/dumponly
build/bench/populate: bench/populate.c
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -O2 -Wall -Wextra -o $@ $<

build/bench/runone: bench/runone.c
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -O2 -Wall -Wextra -o $@ $<

# Built like sockbox (same compiler, flags and nl.c): the floor it measures.
build/bench/dumponly: bench/dumponly.c libsock/nl.c libsock/util.c | $(UAPI_DIR)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ bench/dumponly.c libsock/nl.c libsock/util.c

bench-tools: $(BENCH_TOOLS)

bench: $(BIN) bench-tools
	$(Q)bench/run

.PHONY: bench bench-tools fuzz fuzz-build
