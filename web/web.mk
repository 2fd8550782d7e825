# The browser tests of web/: Debian's Chromium driven by playwright-core, the React hook and card
# bundled by esbuild. npm packages are pinned by tests/web/package-lock.json; nothing downloads a
# browser. web/heartbeat.js, the file people copy, is web/src/heartbeat.js, web/card-look.ts and
# web/presence-rules.ts bundled and minified by the pinned esbuild (tests/web/bundle-widget.mjs): `make web-minify`
# writes it (with web/heartbeat.css, and its integrity="sha384-…" into web/README.md), and the
# tests fail while a committed copy or that line is stale.
# fonts-droid-fallback: Japanese and Chinese glyphs for the screenshots of the card.

APT_PACKAGES += nodejs chromium gzip fonts-droid-fallback openssl
WEB_TEST_MODULES = tests/web/node_modules/.package-lock.json

.PHONY: test-web web-minify

$(WEB_TEST_MODULES): tests/web/package.json tests/web/package-lock.json
	cd tests/web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

web-minify: $(WEB_TEST_MODULES)
	node tests/web/bundle-widget.mjs

test-web: $(PROGRAMS) $(WEB_TEST_MODULES)
	@tests/run-step.sh web node --test --test-concurrency=1 --test-reporter=tap tests/web/widget.test.mjs tests/web/card.test.mjs tests/web/a11y.test.mjs tests/web/hook.test.mjs tests/web/cache.test.mjs tests/web/csp.test.mjs tests/web/activity.test.mjs

# The Subresource Integrity of the shipped widget, for <script src=… integrity=… crossorigin>
# (web/README.md, "Content-Security-Policy"); `make dist` prints it too.
.PHONY: web-integrity
dist: web-integrity
web-integrity:
	@echo "  web/heartbeat.js integrity=\"sha384-$$(openssl dgst -sha384 -binary web/heartbeat.js | openssl base64 -A)\""
