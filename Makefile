# heartbeat: one Makefile, no generator. `make` builds, `make test` installs what is missing
# and runs every test, `make demo` runs the product on 127.0.0.1.

VERSION := $(shell cat VERSION)
CXX ?= g++
PKG_CONFIG ?= pkg-config
OPTIMIZATION ?= -O2
STD = -std=c++17
WARN = -Wall -Wextra -Werror
SERVER_LIBS = sqlite3 libsodium nlohmann_json

# pkg-config runs only once the libraries are there (`make deps` installs them).
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(SERVER_LIBS) 2>/dev/null)
PKG_LIBS = $(shell $(PKG_CONFIG) --libs $(SERVER_LIBS) 2>/dev/null)

# The layers, lowest first (docs/architecture.md): lib/core needs nothing but the C++ library
# (the agent builds on it, on macOS too); lib/app (requests, responses, config, presence, the
# handlers and formats) sees only core; lib/store (SQLite, the caches) sees app and core;
# lib/front (FastCGI, CGI, sockets, the command line) sees them all. A file is compiled with the
# include folders of its own layer and those below, so an include that points up does not
# compile (LAYER_INCLUDES is narrowed per layer below; programs and tests see everything).
LAYERS = core app store front
core_INCLUDES = -Ilib/core
app_INCLUDES = $(core_INCLUDES) -Ilib/app
store_INCLUDES = $(app_INCLUDES) -Ilib/store
front_INCLUDES = $(store_INCLUDES) -Ilib/front
LAYER_INCLUDES = $(front_INCLUDES)
# What every C++ object shares; each flavour adds its own (below), an object set its
# OBJECT_CXXFLAGS (the agent's folder and desktop headers, agent/agent.mk).
BASE_CXXFLAGS = $(STD) -MMD -MP $(LAYER_INCLUDES) $(OBJECT_CXXFLAGS) -DHEARTBEAT_VERSION=\"$(VERSION)\" $(PKG_CFLAGS)
SANITIZE = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
# Hardening of the release build (SECURITY.md): a stack protector, the checked forms of the C
# library's calls, a position-independent executable (its libraries at random addresses) and
# full RELRO (the GOT read-only once loaded). macOS's linker has no -z: PIE is its default.
HARDEN_CXXFLAGS = -fstack-protector-strong -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=2 -fPIE
# The platform the build is for; only the agent builds on macOS. `make -n agent AGENT_OS=Darwin`
# prints what a Mac runs (tests/apple/build-for-mac.py compiles exactly that).
AGENT_OS := $(shell uname -s)
ifeq ($(AGENT_OS),Darwin)
HARDEN_LDFLAGS =
else
HARDEN_LDFLAGS = -pie -Wl,-z,relro -Wl,-z,now
endif
FINAL_LDFLAGS = $(HARDEN_LDFLAGS) $(LDFLAGS)

# --- the flavour: `make BUILD=asan ...`; release is the default ----------------------------
# One rule set for every flavour: objects and libraries in build/$(BUILD), made by the
# compiler and with the flags the flavour names here. A step that needs another flavour runs
# make again with BUILD set (test-unit-asan, test-agent-clang, test-fuzz).
BUILD ?= release
B = build/$(BUILD)
# The programs: hardened, as shipped (cgi-bin/, agent/).
release_CXX = $(CXX)
release_FLAGS = $(WARN) $(OPTIMIZATION) $(HARDEN_CXXFLAGS)
release_LDFLAGS = $(FINAL_LDFLAGS)
# AddressSanitizer and UBSan: the unit tests and the integration suite run on it.
asan_CXX = $(CXX)
asan_FLAGS = $(WARN) -O1 -g $(SANITIZE)
asan_LDFLAGS = $(FINAL_LDFLAGS)
# Xcode's compiler is clang: the agent and its tests with clang++ and the same warnings.
clang_CXX = clang++
clang_FLAGS = $(WARN) $(OPTIMIZATION)
clang_LDFLAGS = $(FINAL_LDFLAGS)
# libFuzzer under ASan and UBSan (hardening/hardening.mk).
fuzz_CXX = $(FUZZ_CXX)
fuzz_FLAGS = -g -O1 $(SANITIZE) -fsanitize=fuzzer-no-link
fuzz_LDFLAGS = -fsanitize=fuzzer
ifeq ($($(BUILD)_FLAGS),)
$(error BUILD=$(BUILD): the flavours are release, asan, clang and fuzz)
endif
BUILD_CXX = $($(BUILD)_CXX)
BUILD_CXXFLAGS = $(BASE_CXXFLAGS) $($(BUILD)_FLAGS) $(CXXFLAGS)
# A program from its objects and archives; the recipe adds its libraries. (Only those of $^:
# a .d file may add headers to a program's prerequisites.)
LINK = $(BUILD_CXX) $(BUILD_CXXFLAGS) $(filter %.o %.a,$^) -o $@ $($(BUILD)_LDFLAGS)
# The release build's programs are the ones in the tree; another flavour's stay in its folder.
ifeq ($(BUILD),release)
PROGRAM_DIR = cgi-bin
else
PROGRAM_DIR = $(B)/cgi-bin
endif
# `make BUILD=asan test-unit` logs its step as unit-asan.
STEP_SUFFIX = $(if $(filter release,$(BUILD)),,-$(BUILD))

# Builds inside `make test` use every core.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

# Debian packages that the build and the tests need; fragments add theirs.
APT_PACKAGES = g++ make pkg-config python3 curl sqlite3 libfcgi-dev libsqlite3-dev \
  libsodium-dev nlohmann-json3-dev libboost-test-dev nginx-light spawn-fcgi clang-format tzdata \
  lighttpd h2o libfcgi-bin faketime

$(foreach layer,$(LAYERS),$(eval $(layer)_SOURCES = $$(wildcard lib/$(layer)/*.cc)))
UNIT_TEST_SOURCES = $(wildcard tests/unit/*.cc)
# The release programs, which most steps test; BUILD_PROGRAMS, those of the flavour built.
PROGRAMS = cgi-bin/heartbeat.fcgi cgi-bin/status.fcgi
BUILD_PROGRAMS = $(PROGRAMS:cgi-bin/%=$(PROGRAM_DIR)/%)

# Every step of `make test`, in the order it runs; each is defined beside what it tests
# (agent/agent.mk, bench/bench.mk, deploy/deploy.mk, hardening/hardening.mk, web/web.mk).
TEST_TARGETS = test-unit test-unit-asan test-integration test-integration-asan \
  test-agent-unit test-agent-mac test-agent-clang test-agent-make-portability \
  test-agent-integration test-bench-quick test-deploy test-cache test-fuzz test-faults \
  test-soak test-web test-any-day test-format

.PHONY: all programs deps test demo demo-stop clean tally FORCE $(TEST_TARGETS)
# Keep intermediate objects, so that a second build does not redo them.
.SECONDARY:

all: programs
programs: $(BUILD_PROGRAMS)

# --- objects, libraries, programs: one rule set for every flavour -----------------------------
$(B)/%.o: %.cc $(B)/flags
	@mkdir -p $(@D)
	$(BUILD_CXX) $(BUILD_CXXFLAGS) -c $< -o $@

# The objects are made again when the flavour's flags change (the hardening flags among them),
# so that no object left from an earlier build lacks them. (Only the flags every object of the
# flavour shares: the include folders differ by layer.)
FLAGS_RECORD = $(BUILD_CXX) $(STD) $($(BUILD)_FLAGS) $(CXXFLAGS)
$(B)/flags: FORCE
	@mkdir -p $(@D)
	@echo '$(FLAGS_RECORD)' | cmp -s - $@ || echo '$(FLAGS_RECORD)' > $@

$(foreach layer,core app store,\
  $(eval $($(layer)_SOURCES:%.cc=$(B)/%.o): LAYER_INCLUDES = $$($(layer)_INCLUDES)))

# One archive per layer (and libagent.a, agent/agent.mk), its objects named here, made by the
# one rule below. An archive is made anew, so that a deleted source leaves no object behind.
$(foreach layer,$(LAYERS),$(eval $(B)/libheartbeat_$(layer).a: $($(layer)_SOURCES:%.cc=$(B)/%.o)))
$(B)/lib%.a:
	@rm -f $@
	ar rcs $@ $^
# A program links the server's archives top layer first (each uses those below it).
reverse = $(if $(1),$(call reverse,$(wordlist 2,$(words $(1)),$(1))) $(firstword $(1)))
SERVER_ARCHIVES = $(foreach layer,$(call reverse,$(LAYERS)),$(B)/libheartbeat_$(layer).a)

$(PROGRAM_DIR)/%.fcgi: $(B)/cgi-bin/%_main.o $(SERVER_ARCHIVES)
	$(LINK) $(PKG_LIBS)

$(B)/unit_tests: $(UNIT_TEST_SOURCES:%.cc=$(B)/%.o) $(SERVER_ARCHIVES)
	$(LINK) $(PKG_LIBS) -lboost_unit_test_framework

# --- installing what is missing ------------------------------------------------------------
deps:
	@scripts/install-deps.sh $(APT_PACKAGES)

# --- tests -----------------------------------------------------------------------------------
# Steps write their logs to build/test-logs; each ends with a "RESULT" line (tests) or a "CHECKS"
# line (the format and the bench's table, counted apart) that `tally` adds up.
test: deps
	@rm -rf build/test-logs && mkdir -p build/test-logs
	@status=0; for t in $(TEST_TARGETS); do \
	  $(MAKE) --no-print-directory -j$(JOBS) $$t || status=1; \
	done; \
	$(MAKE) --no-print-directory tally TALLY_STEPS="$(STEP_NAMES)"; exit $$status

# The steps named in TALLY_STEPS must each have written their line; one that did not fails.
# Each step is named for its target without `test-`; test-agent-clang runs agent-unit-clang.
STEP_NAMES = $(patsubst agent-clang,agent-unit-clang,$(TEST_TARGETS:test-%=%))
tally:
	@python3 tests/tally.py build/test-logs $(TALLY_STEPS)

test-unit: $(B)/unit_tests
	@tests/run-step.sh unit$(STEP_SUFFIX) $(B)/unit_tests --report_level=short

test-unit-asan:
	@$(MAKE) --no-print-directory BUILD=asan test-unit

# The static programs of `make dist` too: the presence card's test runs them (time zones).
test-integration: $(PROGRAMS) build/static/status.fcgi build/static/heartbeat.fcgi
	@tests/run-step.sh integration python3 -m unittest discover -s tests/integration -t . -p 'test_*.py' -v

# The date-dependent tests (usual hours, notes, the owner's clock) with every clock moved to
# each day of a week and to both switches of summer time (tests/any_day.py).
test-any-day: $(PROGRAMS) agent/heartbeat-agent build/static/status.fcgi build/static/heartbeat.fcgi $(WEB_TEST_MODULES)
	@tests/run-step.sh any-day python3 -m tests.any_day

# Every C++ file as clang-format writes it (.clang-format).
test-format:
	@tests/run-step.sh format tests/check-format.sh

# The same suite against the ASan+UBSan builds of both programs; LocalStack fails a test whose
# program logs hold a sanitizer report, and a CGI run must exit 0 (LeakSanitizer exits 23).
test-integration-asan: build/static/status.fcgi build/static/heartbeat.fcgi
	@$(MAKE) --no-print-directory BUILD=asan programs
	@HEARTBEAT_BIN_DIR=build/asan/cgi-bin tests/run-step.sh integration-asan python3 -m unittest discover -s tests/integration -t . -p 'test_*.py' -v

# --- the product on 127.0.0.1 ----------------------------------------------------------------
demo: deps all
	@scripts/demo.sh start

demo-stop:
	@scripts/demo.sh stop

# Everything the build and the tests made, the npm packages of the browser tests included.
clean:
	rm -rf build dist $(PROGRAMS) agent/heartbeat-agent tests/web/node_modules

-include $(wildcard */*.mk)
-include $(shell find $(B) -name '*.d' 2>/dev/null)
