# The web side. web/package.json is the npm package heartbeat-presence (the React hook and card,
# and the widget); its build, web/build.mjs, uses the esbuild and TypeScript pinned by
# web/package-lock.json: web/heartbeat.js, the file people copy, is web/src/heartbeat.js,
# web/card-look.ts and web/presence-rules.ts bundled and minified; `make web-minify` writes it
# (with web/heartbeat.css, its integrity="sha384-…" into web/README.md, and web/dist/, the
# package's JavaScript and types), and the tests fail while a committed copy or that line is
# stale. `make web-package` packs build/web/heartbeat-presence-VERSION.tgz.
# The browser tests: Debian's Chromium driven by playwright-core, the React hook and card
# bundled by esbuild, pinned by tests/web/package-lock.json; nothing downloads a browser.
# fonts-droid-fallback: Japanese and Chinese glyphs for the screenshots of the card.

APT_PACKAGES += nodejs chromium gzip fonts-droid-fallback openssl
WEB_TEST_MODULES = tests/web/node_modules/.package-lock.json
WEB_MODULES = web/node_modules/.package-lock.json

.PHONY: test-web web-minify web-package clean-web

$(WEB_TEST_MODULES): tests/web/package.json tests/web/package-lock.json
	cd tests/web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(WEB_MODULES): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

web-minify: $(WEB_MODULES)
	node web/build.mjs

# npm runs web/build.mjs first (prepack).
web-package: $(WEB_MODULES)
	@mkdir -p build/web
	cd web && npm pack --pack-destination ../build/web --loglevel=error

test-web: $(PROGRAMS) $(WEB_TEST_MODULES) $(WEB_MODULES)
	@tests/run-step.sh web node --test --test-concurrency=1 --test-reporter=tap tests/web/widget.test.mjs tests/web/card.test.mjs tests/web/a11y.test.mjs tests/web/hook.test.mjs tests/web/cache.test.mjs tests/web/csp.test.mjs tests/web/activity.test.mjs tests/web/package.test.mjs

clean: clean-web
clean-web:
	rm -rf web/node_modules web/dist

# The Subresource Integrity of the shipped widget, for <script src=… integrity=… crossorigin>
# (web/README.md, "Content-Security-Policy"); `make dist` prints it too.
.PHONY: web-integrity
dist: web-integrity
web-integrity:
	@echo "  web/heartbeat.js integrity=\"sha384-$$(openssl dgst -sha384 -binary web/heartbeat.js | openssl base64 -A)\""
