# Hardening: libFuzzer targets for every parser of outside input, fault injection and a soak
# test. `make fuzz` runs each fuzzer FUZZ_SECONDS (default 60); `make soak` soaks for 5 minutes.
# `make test` runs short versions of all three.

APT_PACKAGES += clang libclang-rt-14-dev libexpat1-dev
FUZZ_TARGETS = config heartbeat_body query_headers handlers agent_responses fastcgi_reader fastcgi_differential json_reader
FUZZ_SECONDS ?= 60
FUZZ_CXX ?= clang++
FUZZ_FLAGS = $(BASE_CXXFLAGS) -g -O1 -Iagent $(SANITIZE)
FUZZ_LIB_SOURCES = $(LIB_SOURCES) agent/http_client.cc agent/retry_policy.cc agent/idle.cc agent/idle_command.cc agent/child_process.cc agent/idle_x11.cc agent/idle_iokit.cc

.PHONY: fuzz soak test-fuzz test-faults test-soak

build/fuzz/obj/%.o: %.cc
	@mkdir -p $(@D)
	$(FUZZ_CXX) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.cc $(FUZZ_LIB_SOURCES:%.cc=build/fuzz/obj/%.o)
	$(FUZZ_CXX) $(FUZZ_FLAGS) -fsanitize=fuzzer $(filter %.cc %.o,$^) -o $@ -lsqlite3 -lsodium -lfcgi -lexpat

FUZZERS = $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)

fuzz: deps $(FUZZERS)
	@hardening/run-fuzzers.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

test-fuzz: $(FUZZERS)
	@tests/run-step.sh fuzz hardening/run-fuzzers.sh 4 $(FUZZ_TARGETS)

test-faults: $(PROGRAMS)
	@tests/run-step.sh faults python3 -m unittest discover -s tests/faults -t . -p 'test_*.py' -v

soak: deps $(PROGRAMS)
	@SOAK_SECONDS=300 python3 -m unittest discover -s tests/soak -t . -p 'test_*.py' -v

test-soak: $(PROGRAMS)
	@SOAK_SECONDS=30 tests/run-step.sh soak python3 -m unittest discover -s tests/soak -t . -p 'test_*.py' -v

# The release objects are made again when their flags change (the hardening flags of the
# top Makefile among them), so that no object left from an earlier build lacks them.
# (Only the flags every release object shares: the include folders differ by target.)
RELEASE_FLAGS_RECORD = $(CXX) $(STD) $(WARN) $(OPTIMIZATION) $(HARDEN_CXXFLAGS) $(CXXFLAGS)
build/release/flags: FORCE
	@mkdir -p $(@D)
	@echo '$(RELEASE_FLAGS_RECORD)' | cmp -s - $@ || echo '$(RELEASE_FLAGS_RECORD)' > $@
$(LIB_SOURCES:%.cc=build/release/%.o) $(UNIT_TEST_SOURCES:%.cc=build/release/%.o) \
  build/release/cgi-bin/heartbeat_main.o build/release/cgi-bin/status_main.o \
  $(AGENT_OBJECTS) build/release/agent/main.o $(AGENT_TEST_OBJECTS): build/release/flags
