# `make dist`: a tarball to upload to a shared host. The two programs are linked fully
# statically (no library of the host is used) and stripped. Debian's libsqlite3.a and libfcgi.a
# mention dlopen/gethostbyname, so the linker warns; heartbeat never takes those paths
# (no SQLite extensions, no name lookups: see lib/listen_socket.cc); those warnings are kept
# in build/static/*.log.

DIST_NAME = heartbeat-$(VERSION)-linux-x86_64
DIST_DIR = dist/$(DIST_NAME)
DIST_TARBALL = dist/$(DIST_NAME).tar.gz
STATIC_LIBS = -lfcgi -lsqlite3 -lsodium -lpthread -lm -ldl
STATIC_PROGRAMS = build/static/heartbeat.fcgi build/static/status.fcgi
APT_PACKAGES += apache2 libapache2-mod-fcgid file

.PHONY: dist test-deploy
TEST_TARGETS += test-deploy

build/static/%.fcgi: build/release/cgi-bin/%_main.o build/release/libheartbeat.a
	@mkdir -p $(@D)
	$(CXX) $(OPTIMIZATION) -static -s $^ -o $@.tmp $(STATIC_LIBS) 2> $@.log || { cat $@.log; exit 1; }
	@mv $@.tmp $@

dist: $(DIST_TARBALL)

$(DIST_TARBALL): $(STATIC_PROGRAMS) htaccess.example deploy/heartbeat.conf.example DEPLOY.md VERSION
	rm -rf $(DIST_DIR) && mkdir -p $(DIST_DIR)
	cp $(STATIC_PROGRAMS) $(DIST_DIR)/
	cp htaccess.example $(DIST_DIR)/.htaccess
	cp deploy/heartbeat.conf.example DEPLOY.md $(DIST_DIR)/
	tar -C dist -czf $@ --owner=0 --group=0 $(DIST_NAME)
	@ls -l $(STATIC_PROGRAMS) | awk '{ printf "  %-32s %7.2f MB\n", $$9, $$5 / 1048576 }'
	@echo "  $@"

test-deploy: $(DIST_TARBALL) $(PROGRAMS)
	@DIST_DIR=$(DIST_DIR) tests/run-step.sh deploy python3 -m unittest discover -s tests/deploy -p 'test_*.py' -v
