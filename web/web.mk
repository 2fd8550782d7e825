# The browser tests of web/: Debian's Chromium driven by playwright-core, the React hook bundled
# by esbuild. npm packages are pinned by tests/web/package-lock.json; nothing downloads a browser.

APT_PACKAGES += nodejs chromium
WEB_TEST_MODULES = tests/web/node_modules/.package-lock.json

.PHONY: test-web

$(WEB_TEST_MODULES): tests/web/package.json tests/web/package-lock.json
	cd tests/web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

test-web: $(PROGRAMS) $(WEB_TEST_MODULES)
	@tests/run-step.sh web node --test --test-concurrency=1 --test-reporter=tap tests/web/widget.test.mjs tests/web/hook.test.mjs
