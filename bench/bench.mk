# `make bench`: throughput and latency of status.fcgi and heartbeat.fcgi behind nginx, side by
# side with a static file, CGI through fcgiwrap and PHP-FPM; and the in-process handler cost.
# Results: bench/results.md. `make bench-quick` is the short version that `make test` runs.

APT_PACKAGES += wrk php-fpm php-sqlite3 fcgiwrap libbenchmark-dev

.PHONY: bench bench-quick test-bench-quick

$(B)/bench/handler_bench: $(B)/bench/handler_bench.o $(SERVER_ARCHIVES)
	$(LINK) $(PKG_LIBS) -lbenchmark -lpthread

$(B)/bench/fixed_rate: $(B)/bench/fixed_rate.o
	$(LINK)

# The ceiling of the programs' design (a responder that does nothing but answer), built here.
build/release/bench/minimal_fastcgi: bench/minimal_fastcgi.c
	@mkdir -p $(@D)
	$(CC) -O2 -Wall -Wextra -Werror $< -o $@

BENCH_PROGRAMS = build/static/status.fcgi build/static/heartbeat.fcgi build/release/bench/fixed_rate \
  build/release/bench/minimal_fastcgi

bench: deps $(BENCH_PROGRAMS) build/release/bench/handler_bench
	build/release/bench/handler_bench --benchmark_min_time=0.5 | tee build/bench-handler.txt
	python3 -m bench.bench --out build/bench-table.md
	python3 bench/write_results.py build/bench-handler.txt build/bench-table.md bench/reading.md > bench/results.md
	@echo "written: bench/results.md"

bench-quick: $(BENCH_PROGRAMS) build/release/bench/handler_bench
	build/release/bench/handler_bench --benchmark_min_time=0.05
	python3 -m bench.bench --quick

# Only that the benchmark runs and prints its table: speed is not asserted in tests.
test-bench-quick: $(BENCH_PROGRAMS) build/release/bench/handler_bench
	@tests/run-step.sh bench-quick bench/check_quick.sh
