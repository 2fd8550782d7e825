# `make dist`: a tarball to upload to a shared host. The two programs are linked fully
# statically (no library of the host is used) and stripped. Debian's libsqlite3.a and libfcgi.a
# mention dlopen/gethostbyname, so the linker warns; heartbeat never takes those paths
# (no SQLite extensions, no name lookups: see lib/front/listen_socket.cc); those warnings are kept
# in build/static/*.log.

DIST_NAME = heartbeat-$(VERSION)-linux-x86_64
DIST_DIR = dist/$(DIST_NAME)
DIST_TARBALL = dist/$(DIST_NAME).tar.gz
STATIC_LIBS = -lsqlite3 -lsodium -lpthread -lm -ldl
STATIC_PROGRAMS = build/static/heartbeat.fcgi build/static/status.fcgi
APT_PACKAGES += apache2 libapache2-mod-fcgid apache2-suexec-pristine file varnish

.PHONY: dist test-deploy test-cache

# Static PIE with full RELRO (SECURITY.md): even a static program is loaded at a random
# address. The unstripped link is kept as build/static/*.full, where the hardening test finds
# the stack protector's symbol; the dist program is that file stripped.
# Made from the release build's objects (the default flavour: the top Makefile).
ifeq ($(BUILD),release)
build/static/%.fcgi: $(B)/cgi-bin/%_main.o $(SERVER_ARCHIVES)
	@mkdir -p $(@D)
	$(CXX) $(OPTIMIZATION) -static-pie -Wl,-z,relro -Wl,-z,now $^ -o $@.full $(STATIC_LIBS) 2> $@.log || { cat $@.log; exit 1; }
	strip -o $@.tmp $@.full
	@mv $@.tmp $@
endif

dist: $(DIST_TARBALL)

# The tarball is reproducible: the same sources give the same bytes, wherever and whenever
# they are built. Names sorted, every mtime SOURCE_DATE_EPOCH (default: the last commit's
# time), owner 0:0 with no names, fixed modes, gzip without a name or time stamp.
ifeq ($(origin SOURCE_DATE_EPOCH),undefined)
SOURCE_DATE_EPOCH := $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
endif
DIST_SOURCES = htaccess.example nginx.conf.example deploy/heartbeat@.service \
  deploy/heartbeat.conf.example deploy/README.dist DEPLOY.md VERSION deploy/check-libfcgi.sh

# The libfcgi inside the programs must have the CVE-2025-23016 fix (SECURITY.md).
LIBFCGI_CHANGELOG ?= /usr/share/doc/libfcgi-dev/changelog.Debian.gz

# Rewritten only when the epoch changes, so that a new commit makes a new tarball.
build/source-date-epoch: FORCE
	@mkdir -p $(@D)
	@echo $(SOURCE_DATE_EPOCH) | cmp -s - $@ || echo $(SOURCE_DATE_EPOCH) > $@

$(DIST_TARBALL): $(STATIC_PROGRAMS) $(DIST_SOURCES) build/source-date-epoch
	@deploy/check-libfcgi.sh $(LIBFCGI_CHANGELOG)
	rm -rf $(DIST_DIR) && install -d -m 755 $(DIST_DIR)
	install -m 755 $(STATIC_PROGRAMS) $(DIST_DIR)/
	install -m 644 htaccess.example $(DIST_DIR)/.htaccess
	install -m 644 nginx.conf.example deploy/heartbeat@.service deploy/heartbeat.conf.example DEPLOY.md $(DIST_DIR)/
	sed 's/VERSION/$(VERSION)/' deploy/README.dist > $(DIST_DIR)/README && chmod 644 $(DIST_DIR)/README
	{ echo "heartbeat $(VERSION), static, linked with:"; \
	  dpkg-query -W -f '  $${Package} $${Version}\n' libfcgi-dev libsqlite3-dev libsodium-dev libc6-dev g++; \
	  echo "libfcgi-dev's changelog names CVE-2025-23016 (the FastCGI params overflow): fixed"; \
	} > $(DIST_DIR)/BUILD-INFO && chmod 644 $(DIST_DIR)/BUILD-INFO
	cd $(DIST_DIR) && LC_ALL=C find . -type f ! -name SHA256SUMS -printf '%P\n' | LC_ALL=C sort \
	  | xargs sha256sum > SHA256SUMS && chmod 644 SHA256SUMS
	LC_ALL=C tar -C dist --sort=name --format=gnu --mtime=@$(SOURCE_DATE_EPOCH) \
	  --owner=0 --group=0 --numeric-owner -cf - $(DIST_NAME) | gzip -9n > $@.tmp
	@mv $@.tmp $@
	@ls -l $(STATIC_PROGRAMS) | awk '{ printf "  %-32s %7.2f MB\n", $$9, $$5 / 1048576 }'
	@echo "  $@"

test-deploy: $(DIST_TARBALL) $(PROGRAMS) agent/heartbeat-agent
	@DIST_DIR=$(DIST_DIR) SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH) tests/run-step.sh deploy python3 -m unittest discover -s tests/deploy -t . -p 'test_*.py' -v

# Debian's Varnish in front of nginx and the programs: the status headers make a shared cache
# right (one origin request per max-age per variant, Vary: Origin, no heartbeat cached).
test-cache: $(PROGRAMS)
	@tests/run-step.sh cache python3 -m unittest discover -s tests/cache -t . -p 'test_*.py' -v
