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
# What every C++ build shares; the release, sanitized, clang and fuzz builds add to it.
BASE_CXXFLAGS = $(STD) -MMD -MP $(LAYER_INCLUDES) -DHEARTBEAT_VERSION=\"$(VERSION)\" $(PKG_CFLAGS)
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
FINAL_CXXFLAGS = $(BASE_CXXFLAGS) $(WARN) $(OPTIMIZATION) $(HARDEN_CXXFLAGS) $(CXXFLAGS)
ASAN_CXXFLAGS = $(BASE_CXXFLAGS) $(WARN) -O1 -g $(SANITIZE) $(CXXFLAGS)
FINAL_LDFLAGS = $(HARDEN_LDFLAGS) $(LDFLAGS)

# Builds inside `make test` use every core.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

# Debian packages that the build and the tests need; fragments add theirs.
APT_PACKAGES = g++ make pkg-config python3 curl sqlite3 libfcgi-dev libsqlite3-dev \
  libsodium-dev nlohmann-json3-dev libboost-test-dev nginx-light spawn-fcgi clang-format tzdata \
  lighttpd h2o libfcgi-bin faketime

$(foreach layer,$(LAYERS),$(eval $(layer)_SOURCES = $$(wildcard lib/$(layer)/*.cc)))
CORE_SOURCES = $(core_SOURCES)
LIB_SOURCES = $(foreach layer,$(LAYERS),$($(layer)_SOURCES))
UNIT_TEST_SOURCES = $(wildcard tests/unit/*.cc)
PROGRAMS = cgi-bin/heartbeat.fcgi cgi-bin/status.fcgi
ASAN_PROGRAMS = build/asan/cgi-bin/heartbeat.fcgi build/asan/cgi-bin/status.fcgi

# Every step of `make test`, in the order it runs; each is defined beside what it tests
# (agent/agent.mk, bench/bench.mk, deploy/deploy.mk, hardening/hardening.mk, web/web.mk).
TEST_TARGETS = test-unit test-unit-asan test-integration test-integration-asan \
  test-agent-unit test-agent-mac test-agent-clang test-agent-make-portability \
  test-agent-integration test-bench-quick test-deploy test-cache test-fuzz test-faults \
  test-soak test-web test-any-day test-format

.PHONY: all deps test demo demo-stop clean tally $(TEST_TARGETS)
# Keep intermediate objects, so that a second build does not redo them.
.SECONDARY:

all: $(PROGRAMS)

# --- objects: release in build/release, sanitized in build/asan -------------------------
build/release/%.o: %.cc
	@mkdir -p $(@D)
	$(CXX) $(FINAL_CXXFLAGS) -c $< -o $@

build/asan/%.o: %.cc
	@mkdir -p $(@D)
	$(CXX) $(ASAN_CXXFLAGS) -c $< -o $@

$(foreach build,release asan clang fuzz/obj,$(foreach layer,core app store,\
  $(eval $($(layer)_SOURCES:%.cc=build/$(build)/%.o): LAYER_INCLUDES = $$($(layer)_INCLUDES))))

# One archive per layer in each build; a program links them top layer first (each uses those
# below it). An archive is made anew, so that a deleted source leaves no object behind in it.
define ARCHIVE
@rm -f $@
ar rcs $@ $^
endef
$(foreach build,release asan,$(foreach layer,$(LAYERS),\
  $(eval build/$(build)/libheartbeat_$(layer).a: $$($(layer)_SOURCES:%.cc=build/$(build)/%.o) ; $$(ARCHIVE))))
# The server's archives of build $(1), in link order.
SERVER_ARCHIVES = $(foreach layer,front store app core,build/$(1)/libheartbeat_$(layer).a)

cgi-bin/%.fcgi: build/release/cgi-bin/%_main.o $(call SERVER_ARCHIVES,release)
	$(CXX) $(FINAL_CXXFLAGS) $^ -o $@ $(FINAL_LDFLAGS) $(PKG_LIBS)

build/asan/cgi-bin/%.fcgi: build/asan/cgi-bin/%_main.o $(call SERVER_ARCHIVES,asan)
	$(CXX) $(ASAN_CXXFLAGS) $^ -o $@ $(FINAL_LDFLAGS) $(PKG_LIBS)

build/release/unit_tests: $(UNIT_TEST_SOURCES:%.cc=build/release/%.o) $(call SERVER_ARCHIVES,release)
	$(CXX) $(FINAL_CXXFLAGS) $^ -o $@ $(FINAL_LDFLAGS) $(PKG_LIBS) -lboost_unit_test_framework

build/asan/unit_tests: $(UNIT_TEST_SOURCES:%.cc=build/asan/%.o) $(call SERVER_ARCHIVES,asan)
	$(CXX) $(ASAN_CXXFLAGS) $^ -o $@ $(FINAL_LDFLAGS) $(PKG_LIBS) -lboost_unit_test_framework

# --- installing what is missing ------------------------------------------------------------
deps:
	@scripts/install-deps.sh $(APT_PACKAGES)

# --- tests -----------------------------------------------------------------------------------
# Steps write their logs to build/test-logs; each ends with a "RESULT" line that `tally` adds up.
test: deps
	@rm -rf build/test-logs && mkdir -p build/test-logs
	@status=0; for t in $(TEST_TARGETS); do \
	  $(MAKE) --no-print-directory -j$(JOBS) $$t || status=1; \
	done; \
	$(MAKE) --no-print-directory tally; exit $$status

tally:
	@python3 tests/tally.py build/test-logs

test-unit: build/release/unit_tests
	@tests/run-step.sh unit build/release/unit_tests --report_level=short

test-unit-asan: build/asan/unit_tests
	@tests/run-step.sh unit-asan build/asan/unit_tests --report_level=short

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
test-integration-asan: $(ASAN_PROGRAMS) build/static/status.fcgi build/static/heartbeat.fcgi
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
-include $(shell find build -name '*.d' 2>/dev/null)
