# JWK Desk. `make run` and `make test` install what is missing, then do their job.
SHELL := /bin/bash
.DEFAULT_GOAL := run

export GOTOOLCHAIN := local
export LANG := C.UTF-8
export LC_ALL := C.UTF-8

GO          ?= go
TAGS        := jwx_es256k
GOFLAGS_TAG := -tags $(TAGS)
BIN         := jwkdesk
TOOLS       := $(CURDIR)/bin
STATICCHECK := $(TOOLS)/staticcheck
STATICCHECK_VERSION := v0.8.2
GOCYCLO     := $(TOOLS)/gocyclo
GOCYCLO_VERSION := v0.6.0

FYNE        := $(TOOLS)/fyne
FYNE_VERSION := v1.7.4

.PHONY: run build test deps-build deps-test deps-interop lint unit e2e bench fuzz package screenshots clean

deps-build:
	@scripts/install-deps.sh build

deps-test:
	@scripts/install-deps.sh test

# node's jose (npm), the reference the interop tests check JWK Desk against:
# installed from interop/package-lock.json when node and npm are on the
# machine; without them those tests skip and say why.
deps-interop:
	@if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then \
	  if [ ! interop/node_modules/.package-lock.json -nt interop/package-lock.json ]; then \
	    echo "interop: npm ci (node jose)"; (cd interop && npm ci --no-audit --no-fund --loglevel=error); \
	  fi; \
	else echo "interop: node and npm are not installed: the jose interop tests will be skipped"; fi

build: deps-build
	$(GO) build $(GOFLAGS_TAG) -o $(BIN) .

run: build
	./$(BIN)

$(STATICCHECK):
	GOBIN=$(TOOLS) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

$(GOCYCLO):
	GOBIN=$(TOOLS) $(GO) install github.com/fzipp/gocyclo/cmd/gocyclo@$(GOCYCLO_VERSION)

# gofmt, vet, staticcheck; no production function over cyclomatic
# complexity 15; and the guard that stops a build without the jwx_es256k
# tag (convert/keys/es256k_guard.go) still stops it.
lint: $(STATICCHECK) $(GOCYCLO)
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	$(GO) vet $(GOFLAGS_TAG) ./...
	$(STATICCHECK) $(GOFLAGS_TAG) ./...
	@over=$$($(GOCYCLO) -over 15 -ignore '_test\.go$$' .); \
	  if [ -n "$$over" ]; then echo "functions over cyclomatic complexity 15:"; echo "$$over"; exit 1; fi
	@if $(GO) build -o /dev/null ./convert/keys 2>&1 | grep -q build_with_go_build_dash_tags_jwx_es256k; then :; \
	  else echo "a build without -tags $(TAGS) no longer stops at convert/keys/es256k_guard.go"; exit 1; fi

unit: deps-build deps-interop
	$(GO) test $(GOFLAGS_TAG) -race -count=1 -timeout 25m ./...

e2e: build deps-test
	scripts/e2e.sh ./$(BIN)

test: deps-test lint unit build
	@if command -v Xvfb >/dev/null 2>&1; then scripts/e2e.sh ./$(BIN); else echo "e2e: Xvfb not available, skipped"; fi

$(FYNE):
	GOBIN=$(TOOLS) $(GO) install fyne.io/tools/cmd/fyne@$(FYNE_VERSION)

# A Linux bundle (dist/jwkdesk-linux.tar.xz): binary, icon, .desktop, AppStream metadata.
package: deps-build $(FYNE)
	scripts/package.sh $(FYNE)

# Regenerates the README's screenshots from an e2e run.
screenshots: e2e
	cp screenshots/generate.png screenshots/pem.png screenshots/jwks.png screenshots/jwt.png docs/

# Runs every fuzz target for FUZZTIME each; a crasher lands in testdata/fuzz
# and becomes a regression test of the next `go test`.
FUZZTIME ?= 60s
fuzz: deps-build
	@set -e; for pkg in $$($(GO) list $(GOFLAGS_TAG) ./convert/... ./cli); do \
	  for f in $$($(GO) test $(GOFLAGS_TAG) -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "fuzz: $$pkg $$f for $(FUZZTIME)"; \
	    $(GO) test $(GOFLAGS_TAG) -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg; \
	  done; \
	done

bench: deps-test
	scripts/bench.sh

clean:
	rm -rf $(BIN) $(TOOLS) dist screenshots

# smallstep's step (tools/step/build.sh: built into ./bin, minutes cold) and
# the encrypted-JWK tests that need it: step reads what JWK Desk writes.
.PHONY: interop-step
interop-step:
	tools/step/build.sh $(TOOLS)
	JWKDESK_STEP=$(TOOLS)/step $(GO) test $(GOFLAGS_TAG) -count=1 -run 'Step' -v ./convert/keys/encjwk/
