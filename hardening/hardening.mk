# Hardening: libFuzzer targets for every parser of outside input, fault injection and a soak
# test. `make fuzz` runs each fuzzer FUZZ_SECONDS (default 60); `make soak` soaks for 5 minutes.
# `make test` runs short versions of all three.

APT_PACKAGES += clang libclang-rt-14-dev libexpat1-dev
FUZZ_TARGETS = config heartbeat_body query_headers handlers agent_responses fastcgi_reader fastcgi_differential json_reader
FUZZ_SECONDS ?= 60
FUZZ_CXX ?= clang++
FUZZERS = $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)

.PHONY: fuzz fuzzers soak test-fuzz test-faults test-soak

# BUILD=fuzz (the flavour's flags: the top Makefile). A fuzzer links the libraries of the
# flavour; of libagent.a the linker takes only the objects the fuzzer uses, so no list of the
# agent's files is kept here.
ifeq ($(BUILD),fuzz)
fuzzers: $(FUZZERS)
$(FUZZ_TARGETS:%=$(B)/tests/fuzz/fuzz_%.o): OBJECT_CXXFLAGS = -Iagent
$(FUZZERS): $(B)/fuzz_%: $(B)/tests/fuzz/fuzz_%.o $(B)/libagent.a $(SERVER_ARCHIVES)
	$(LINK) -lsqlite3 -lsodium -lfcgi -lexpat
else
fuzzers:
	@$(MAKE) --no-print-directory BUILD=fuzz fuzzers
endif

fuzz: deps
	@$(MAKE) --no-print-directory BUILD=fuzz fuzzers
	@hardening/run-fuzzers.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

test-fuzz: fuzzers
	@tests/run-step.sh fuzz hardening/run-fuzzers.sh 4 $(FUZZ_TARGETS)

test-faults: $(PROGRAMS)
	@tests/run-step.sh faults python3 -m unittest discover -s tests/faults -t . -p 'test_*.py' -v

soak: deps $(PROGRAMS)
	@SOAK_SECONDS=300 python3 -m unittest discover -s tests/soak -t . -p 'test_*.py' -v

test-soak: $(PROGRAMS)
	@SOAK_SECONDS=30 tests/run-step.sh soak python3 -m unittest discover -s tests/soak -t . -p 'test_*.py' -v
