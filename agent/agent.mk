# heartbeat-agent: one C++ program on libcurl. `make agent` builds it on Linux and on macOS
# (clang, the system's libcurl, IOKit; no pkg-config needed there).

APT_PACKAGES += libcurl4-openssl-dev libx11-dev libxss-dev xvfb xdotool openssl
TEST_TARGETS += test-agent-unit test-agent-integration
AGENT_SOURCES = $(filter-out agent/main.cc,$(wildcard agent/*.cc))
AGENT_TEST_SOURCES = $(wildcard tests/agent/*_test.cc)

ifeq ($(shell uname -s),Darwin)
AGENT_CFLAGS =
AGENT_LIBS = -lcurl -framework IOKit -framework CoreFoundation -framework ApplicationServices
else
AGENT_CFLAGS = -DHEARTBEAT_WITH_X11 $(shell $(PKG_CONFIG) --cflags libcurl x11 xscrnsaver 2>/dev/null)
AGENT_LIBS = $(shell $(PKG_CONFIG) --libs libcurl x11 xscrnsaver 2>/dev/null)
endif

.PHONY: agent test-agent-unit test-agent-integration
all: agent/heartbeat-agent
agent: agent/heartbeat-agent

build/release/agent/%.o: agent/%.cc
	@mkdir -p $(@D)
	$(CXX) $(FINAL_CXXFLAGS) $(AGENT_CFLAGS) -Iagent -c $< -o $@

build/release/tests/agent/%.o: tests/agent/%.cc
	@mkdir -p $(@D)
	$(CXX) $(FINAL_CXXFLAGS) $(AGENT_CFLAGS) -Iagent -Itests/unit -c $< -o $@

build/release/libagent.a: $(AGENT_SOURCES:%.cc=build/release/%.o)
	@rm -f $@
	ar rcs $@ $^

# Only the lib files the agent uses, so that it builds without the server's libraries (macOS).
AGENT_LIB_OBJECTS = $(addprefix build/release/lib/,key_value.o http.o presence.o device_name.o)

agent/heartbeat-agent: build/release/agent/main.o build/release/libagent.a $(AGENT_LIB_OBJECTS)
	$(CXX) $(FINAL_CXXFLAGS) $^ -o $@ $(FINAL_LDFLAGS) $(AGENT_LIBS)

# The agent tests borrow TempDir and WriteFile from the server unit tests.
build/release/agent_unit_tests: $(AGENT_TEST_SOURCES:%.cc=build/release/%.o) build/release/tests/unit/test_support.o build/release/libagent.a build/release/libheartbeat.a
	$(CXX) $(FINAL_CXXFLAGS) $^ -o $@ $(FINAL_LDFLAGS) $(AGENT_LIBS) $(PKG_LIBS) -lboost_unit_test_framework

test-agent-unit: build/release/agent_unit_tests
	@tests/run-step.sh agent-unit build/release/agent_unit_tests --report_level=short

test-agent-integration: agent/heartbeat-agent $(PROGRAMS)
	@tests/run-step.sh agent-integration python3 -m unittest discover -s tests/agent -p 'test_*.py' -v
