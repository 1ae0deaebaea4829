# Forgotten Ruin: one plain Makefile (STYLE.md rule 17).
#
#   make            build everything into build/
#   make run        install missing Debian packages, build, start the game
#   make test       every test: unit (cmocka), area tests, integration (real processes
#                   and clients) and e2e (the web client in headless Chromium)
#   make asan       the whole suite again under address + UB sanitizers
#   make bench      load benchmarks: one table, tests/artifacts/bench.json
#   make fuzz       libFuzzer targets, FUZZ_SECONDS each (make fuzz-smoke: 10 s)
#   make format     clang-format the tree   make check-format   fail on drift
#   make install PREFIX=/usr/local DESTDIR=
#
# Objects go to $(BUILD) with -MMD -MP dependency files. Every library comes
# through pkg-config, as -isystem so its headers never trip our warnings.

BUILD    ?= build
PREFIX   ?= /usr/local
DESTDIR  ?=
CC       ?= cc
OPT      ?= -O2 -g
SANITIZE ?=
PYTHON   ?= python3

PKGS        := libtelnet lua5.4 jansson sqlite3 libsodium zlib liburing
BRIDGE_PKGS := libwebsockets libuv libtelnet jansson zlib libsodium
TUI_PKGS    := ncursesw jansson
TEST_PKGS   := cmocka

WARN := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wwrite-strings -Wvla -fno-common

pkg_cflags = $(patsubst -I%,-isystem %,$(shell pkg-config --cflags $(1)))
pkg_libs   = $(shell pkg-config --libs $(1))

CPPFLAGS_ALL := -Isrc -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -MMD -MP \
	$(call pkg_cflags,$(PKGS))
CFLAGS_ALL   := $(WARN) $(OPT) $(SANITIZE) $(CFLAGS)
LDFLAGS_ALL  := $(SANITIZE) $(LDFLAGS)
LIBS         := $(call pkg_libs,$(PKGS)) -lm

# Source groups, one per layer (DESIGN.md "Layout").
BASE_SRC   := $(sort $(wildcard src/base/*.c))
NET_SRC    := $(sort $(wildcard src/net/*.c))
GAME_SRC   := $(sort $(wildcard src/game/*.c))
SCRIPT_SRC := $(sort $(wildcard src/script/*.c))
STORE_SRC  := $(sort $(wildcard src/store/*.c))
TOP_SRC    := $(sort $(filter-out src/main.c,$(wildcard src/*.c)))
SERVER_SRC := $(BASE_SRC) $(NET_SRC) $(GAME_SRC) $(SCRIPT_SRC) $(STORE_SRC) $(TOP_SRC) src/main.c
# ruin-bridge and ruin-console: their own folders plus base/ (never game/).
BRIDGE_SRC := $(sort $(wildcard bridge/*.c))
TUI_SRC    := $(sort $(wildcard tui/*.c))

obj = $(patsubst %.c,$(BUILD)/%.o,$(1))

SERVER_BIN := $(BUILD)/ruin-server
BRIDGE_BIN := $(if $(BRIDGE_SRC),$(BUILD)/ruin-bridge)
TUI_BIN    := $(if $(TUI_SRC),$(BUILD)/ruin-console)
# The benchmark's load generator (tests/bench/; make bench, and its test in integration).
LOADGEN_BIN := $(BUILD)/tests/bench/loadgen

.PHONY: all run deps test unit areatests integration e2e asan bench fuzz fuzz-build fuzz-smoke format check-format install clean help
.DEFAULT_GOAL := all

all: $(SERVER_BIN) $(BRIDGE_BIN) $(TUI_BIN)

$(SERVER_BIN): $(call obj,$(SERVER_SRC))
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS)

$(BUILD)/ruin-bridge: $(call obj,$(BRIDGE_SRC) $(BASE_SRC))
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(call pkg_libs,$(BRIDGE_PKGS)) -lm

$(BUILD)/ruin-console: $(call obj,$(TUI_SRC) $(BASE_SRC))
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(call pkg_libs,$(TUI_PKGS)) -lm

# Per-folder compile flags for the libraries only those folders use.
$(BUILD)/bridge/%.o: EXTRA_CPPFLAGS = $(call pkg_cflags,$(BRIDGE_PKGS))
$(BUILD)/tui/%.o: EXTRA_CPPFLAGS = $(call pkg_cflags,$(TUI_PKGS))

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) $(EXTRA_CPPFLAGS) $(CFLAGS_ALL) -c -o $@ $<

# ---- unit tests -----------------------------------------------------------
# tests/unit/test_NAME.c is one cmocka file per module. Beside it,
# tests/unit/test_NAME.mk sets T_NAME to the sources it links: the module and
# what the module depends on, nothing above it (STYLE.md rule 18), and may
# set T_NAME_PKGS to extra pkg-config packages (e.g. libwebsockets).
UNIT_NAMES := $(patsubst tests/unit/test_%.c,%,$(sort $(wildcard tests/unit/test_*.c)))
-include $(wildcard tests/unit/*.mk)
UNIT_BINS := $(patsubst %,$(BUILD)/tests/test_%,$(UNIT_NAMES))

define unit_rule
$(BUILD)/tests/test_$(1): $(BUILD)/tests/unit/test_$(1).o $$(call obj,$$(T_$(1)))
	@mkdir -p $$(@D)
	$$(CC) $$(LDFLAGS_ALL) -o $$@ $$^ $$(LIBS) $$(call pkg_libs,$(TEST_PKGS) $$(T_$(1)_PKGS))
endef
$(foreach n,$(UNIT_NAMES),$(eval $(call unit_rule,$(n))))

$(BUILD)/tests/unit/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) -Itests/unit $(call pkg_cflags,$(TEST_PKGS) $(BRIDGE_PKGS) $(TUI_PKGS)) \
		$(CFLAGS_ALL) -c -o $@ $<

unit: $(UNIT_BINS)
	@fail=0; for t in $(UNIT_BINS); do \
		echo "== $$t"; $$t || fail=1; \
	done; test $$fail = 0

# ---- integration tests ----------------------------------------------------
# Real processes on loopback ports with temporary databases; see
# tests/integration/README.md.
integration: all $(LOADGEN_BIN)
	RUIN_SERVER=$(abspath $(SERVER_BIN)) \
	RUIN_BRIDGE=$(if $(BRIDGE_BIN),$(abspath $(BRIDGE_BIN))) \
	RUIN_CONSOLE=$(if $(TUI_BIN),$(abspath $(TUI_BIN))) \
	RUIN_LOADGEN=$(abspath $(LOADGEN_BIN)) \
		$(PYTHON) -B tests/integration/run.py

# ---- area tests -------------------------------------------------------------
# Every areas/<area>/tests/*.lua against the loaded world on a virtual clock
# (docs/building.md, "Area tests").
areatests: $(SERVER_BIN)
	$(SERVER_BIN) --test-areas areas/ --lua lua/

# ---- end to end -------------------------------------------------------------
# The web client in Debian's headless Chromium, driven by playwright-core
# from npm (installed into tests/e2e/node_modules on first use); screenshots
# go to tests/artifacts/. See tests/e2e/README.md.
e2e: all
	cd tests/e2e && node --test ansi.test.mjs && \
	{ test -d node_modules/playwright-core || npm ci --no-audit --no-fund; } && \
	RUIN_SERVER=$(abspath $(SERVER_BIN)) RUIN_BRIDGE=$(abspath $(BRIDGE_BIN)) node run.mjs

test: unit areatests integration e2e

# GCC's "undefined" leaves out float-cast-overflow (clang's has it): a double
# past an integer's range, as in a client's "rss_kb": 51e32, is caught here too.
asan:
	$(MAKE) BUILD=build/asan OPT="-O1 -g" \
		SANITIZE="-fsanitize=address,undefined,float-cast-overflow -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		test

# ---- benchmarks -------------------------------------------------------------
# tests/bench/: our load generator (C) and the driver that starts servers on
# loopback with temporary databases and runs the scenarios (README.md there).
$(BUILD)/tests/bench/%.o: EXTRA_CPPFLAGS = -D_GNU_SOURCE
$(LOADGEN_BIN): $(call obj,$(sort $(wildcard tests/bench/*.c)) src/base/buf.c src/base/str.c \
		src/base/xalloc.c)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(call pkg_libs,jansson zlib)

bench: all $(LOADGEN_BIN)
	$(PYTHON) -B tests/bench/bench.py --server $(SERVER_BIN) --loadgen $(LOADGEN_BIN) \
		$(if $(BRIDGE_BIN),--bridge $(BRIDGE_BIN)) $(BENCH_ARGS)

# ---- fuzzing ----------------------------------------------------------------
# tests/fuzz/fuzz_NAME.c is a libFuzzer target over the sources listed in
# tests/unit/test_fuzz_NAME.mk; `make unit` replays its corpus
# (tests/fuzz/corpus/NAME/, seeds and past crashes). `make fuzz` builds the
# targets with clang and sanitizers into build/fuzz/ and runs each for
# FUZZ_SECONDS; what it finds lands in build/fuzz/crashes/ (tests/fuzz/README.md).
FUZZ_NAMES   := $(patsubst tests/fuzz/fuzz_%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_DIR     := build/fuzz

define fuzz_rule
$(BUILD)/fuzz_$(1): $$(call obj,$$(T_fuzz_$(1)))
	$$(CC) $$(LDFLAGS_ALL) -fsanitize=fuzzer -o $$@ $$^ $$(LIBS)
endef
$(foreach n,$(FUZZ_NAMES),$(eval $(call fuzz_rule,$(n))))

fuzz-build:
	$(MAKE) BUILD=$(FUZZ_DIR) CC=$(FUZZ_CC) OPT="-O1 -g" \
		SANITIZE="-fsanitize=address,undefined,fuzzer-no-link -fno-sanitize-recover=all -fno-omit-frame-pointer" \
		$(patsubst %,$(FUZZ_DIR)/fuzz_%,$(FUZZ_NAMES))

fuzz: fuzz-build
	@mkdir -p $(FUZZ_DIR)/crashes
	@fail=0; for n in $(FUZZ_NAMES); do \
		mkdir -p $(FUZZ_DIR)/corpus/$$n; \
		echo "== fuzz_$$n for $(FUZZ_SECONDS) s"; \
		$(FUZZ_DIR)/fuzz_$$n -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
			-artifact_prefix=$(FUZZ_DIR)/crashes/$$n- -print_final_stats=1 \
			$(FUZZ_DIR)/corpus/$$n tests/fuzz/corpus/$$n || fail=1; \
	done; test $$fail = 0

fuzz-smoke:
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=10

# ---- running --------------------------------------------------------------
deps:
	@tools/install-deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	@mkdir -p var
	@echo "telnet localhost 4000, or open http://localhost:4080/ (Ctrl-C stops both)"
	@$(BRIDGE_BIN) --config bridge/bridge.conf & bridge=$$!; \
	trap 'kill $$bridge 2>/dev/null; wait $$bridge' EXIT INT TERM; \
	$(SERVER_BIN) --config ruin.conf

# ---- housekeeping ---------------------------------------------------------
FORMAT_FILES = $(shell git ls-files '*.c' '*.h' 2>/dev/null)

format:
	clang-format -i $(FORMAT_FILES)

check-format:
	@clang-format --dry-run --Werror $(FORMAT_FILES)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/ruin
	install -m 0755 $(SERVER_BIN) $(BRIDGE_BIN) $(TUI_BIN) $(DESTDIR)$(PREFIX)/bin/
	cp -R lua areas $(DESTDIR)$(PREFIX)/share/ruin/
	install -d $(DESTDIR)$(PREFIX)/share/ruin/www
	cp -R bridge/www/. $(DESTDIR)$(PREFIX)/share/ruin/www/
	install -m 0644 ruin.conf $(DESTDIR)$(PREFIX)/share/ruin/ruin.conf.example

clean:
	rm -rf $(BUILD) build

help:
	@sed -n '2,13p' Makefile

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
