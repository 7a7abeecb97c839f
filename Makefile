# Service Desk Desktop. The two set-up commands are `make run` and `make test`;
# both install what is missing first (.ci/deps.sh).

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
GO ?= go
TAGS := webkit2_41
VERSION := $(shell .ci/version.sh)
LDFLAGS := -X servicedesk/internal/version.Version=$(VERSION)
BIN := build/bin/servicedesk
export GOFLAGS := -mod=mod

.PHONY: test-dist-root run test build build-dev deps deps-test deps-dist deps-test-dist frontend lint fmt bench bench-ui fuzz test-go test-frontend test-e2e test-smoke check-bindings dist dist-macos test-dist clean

run: deps build
	$(BIN) demo

# Every test: Go (with -race, the real Secret Service), the frontend's unit
# tests and type-check, the end-to-end test in Chromium and the real-window
# smoke test.
test: deps-test build build-dev
	@start=$$(date +%s); \
	$(MAKE) --no-print-directory check-bindings lint test-go test-frontend test-e2e test-smoke; \
	echo "make test: all passed in $$(( $$(date +%s) - start ))s"

deps:
	@.ci/deps.sh run

deps-test:
	@.ci/deps.sh test

deps-dist:
	@.ci/deps.sh dist

deps-test-dist:
	@.ci/deps.sh test-dist

frontend/node_modules/.package-lock.json: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund

frontend: frontend/node_modules/.package-lock.json

# The production binary, with the frontend built and embedded; `wails build`
# also regenerates the bindings in frontend/wailsjs.
build: frontend
	$(GO) tool wails build -tags $(TAGS) -ldflags "$(LDFLAGS)" -o servicedesk

# The dev-tagged binary serves the built frontend and the live Go bindings
# over HTTP for the browser tests (run with devserver=HOST:PORT).
build-dev: build
	$(GO) build -tags dev,$(TAGS) -ldflags "$(LDFLAGS)" -o $(BIN)-dev .

# The Linux and Windows artefacts in dist/, from this Linux machine: the
# binaries, a .deb, a .tar.gz, servicedesk.exe, its NSIS installer and
# SHA256SUMS (.ci/dist.sh). Wails builds in a staged copy of the work tree.
dist: deps-dist frontend
	@VERSION="$(VERSION)" .ci/dist.sh

# On a Mac: a universal .app (zipped) and a .dmg in dist/, signed and
# notarised when MACOS_SIGN_IDENTITY and MACOS_NOTARY_PROFILE are set
# (.ci/dist-macos.sh; README.md, "Install").
dist-macos: frontend
	@VERSION="$(VERSION)" .ci/dist-macos.sh

# Builds dist/ and checks it: sums, the .deb installed with dpkg and opened
# under Xvfb, then purged; the .tar.gz; the Windows PE files. Needs root.
test-dist: test-dist-root deps-test-dist dist
	.ci/test-dist.sh

# dpkg -i needs root: say so before the build, not after it.
test-dist-root:
	@[ "$$(id -u)" = 0 ] || { echo "make test-dist installs the .deb with dpkg: run it as root (in CI, or a throw-away machine)" >&2; exit 1; }

check-bindings:
	@if git rev-parse --git-dir >/dev/null 2>&1 && ! git diff --quiet -- frontend/wailsjs; then \
		echo "frontend/wailsjs differs from what wails generated: commit the regenerated bindings"; \
		git --no-pager diff --stat -- frontend/wailsjs; exit 1; fi

test-go:
	SERVICEDESK_DOVECOT=required .ci/with-keychain.sh $(GO) test -race -shuffle=on -count=1 -tags $(TAGS) ./...

test-frontend: frontend
	cd frontend && npm run --silent test

test-e2e: frontend
	.ci/with-keychain.sh .ci/e2e.sh

test-smoke:
	.ci/smoke.sh

lint: frontend
	$(GO) vet -tags $(TAGS) ./...
	$(GO) tool staticcheck -tags $(TAGS) ./...
	cd frontend && npm run --silent check

fmt:
	gofmt -w $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './frontend/*')

bench:
	$(GO) test -run '^$$' -bench . -benchmem -tags $(TAGS) ./internal/...

# The window with 50,000 tickets: cold start to an interactive list and a
# Chromium performance trace of scrolling (figures, no assertions).
bench-ui: deps-test build-dev
	.ci/with-keychain.sh .ci/bench-ui.sh

FUZZTIME ?= 30s
# Each fuzz target for FUZZTIME (go test fuzzes one target at a time).
fuzz:
	@for pkg in ./internal/store ./internal/linker ./internal/mailparse ./internal/compose ./internal/sla ./tools/winpe; do \
		for target in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
			echo "fuzz $$pkg $$target"; \
			$(GO) test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
		done; \
	done

clean:
	rm -rf build/bin build/dist-work dist test-output frontend/node_modules
