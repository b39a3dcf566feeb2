# Thin wrapper around CMake. `make` builds ./build/btcstream (a contract: scripts rely on that
# path); `make run` and `make test` first install the Debian packages they need.

BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CTEST_ARGS ?= --output-on-failure
PREFIX     ?= /usr/local

FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= $(patsubst fuzz/fuzz_%.c,%,$(wildcard fuzz/fuzz_*.c))

.PHONY: all deps node-deps build run test test-plain test-asan bench soak fuzz format clean \
	install docs docs-example-update test-container

all: build

deps:
	@bash scripts/install-deps.sh

node-deps: deps
	@bash scripts/install-node-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DBS_WERROR=ON >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

run: build
	./$(BUILD)/btcstream run --source sim --duration 10s --interval 100ms --quiet --serve

test: node-deps test-plain test-asan

test-plain: build
	cd $(BUILD) && ctest $(CTEST_ARGS)

test-asan: deps
	@cmake -S . -B $(ASAN_BUILD) -DBS_WERROR=ON -DBS_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
	@cmake --build $(ASAN_BUILD) -j$(JOBS)
	cd $(ASAN_BUILD) && BS_UNDER_SANITIZER=1 ctest $(CTEST_ARGS)

bench: build node-deps
	bash bench/run.sh

# The stream processor under SOAK_KILLS kill -9 at random instants while files keep arriving;
# prints the ticks lost and duplicated (both must be 0) and the time it took.
SOAK_KILLS ?= 1000
soak: build
	BTCSTREAM=$(CURDIR)/$(BUILD)/btcstream BS_SOURCE_DIR=$(CURDIR) BS_SOAK_KILLS=$(SOAK_KILLS) \
		bash tests/it_stream_crash.sh

format:
	clang-format -i include/btcstream/*.h lib/*.c lib/*.h lib/*/*.c lib/*/*.h src/*.c src/*.h tests/*.c examples/*.c bench/*.c fuzz/*.c fuzz/*.h

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)

# The command, static and shared library, headers, btcstream.pc, man page and bash completion
# under $(PREFIX), staged under $(DESTDIR) when given (packaging).
install: build
	DESTDIR="$(DESTDIR)" cmake --install $(BUILD) --prefix "$(PREFIX)"

# docs/architecture.svg from docs/architecture.dot (the SVG is committed: readers need no Graphviz).
docs: docs/architecture.svg

docs/architecture.svg: docs/architecture.dot
	dot -Tsvg $< -o $@

# Rewrites the outputs in README.md, docs/example.md and docs/tutorial.md from real runs (after a change to
# what a command prints); tests/it_doc_example.sh checks them.
docs-example-update: build
	BTCSTREAM=$(CURDIR)/$(BUILD)/btcstream python3 tests/tools/doc_commands.py --update README.md docs/example.md docs/tutorial.md

# Builds the container image on a Debian 12 base made here and runs `make run` inside (slow; not
# part of `make test`).
test-container:
	bash deploy/container/test-container.sh

# libFuzzer (clang, ASan+UBSan) on each harness of fuzz/ for FUZZ_SECONDS; new inputs go to
# $(FUZZ_BUILD)/corpus/, crashes to $(FUZZ_BUILD)/crashes/ (see fuzz/README.md).
fuzz: deps
	@cmake -S . -B $(FUZZ_BUILD) -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
		-DBS_FUZZ=ON -DBS_SANITIZE=ON >/dev/null
	@cmake --build $(FUZZ_BUILD) -j$(JOBS) --target $(addprefix fuzz_,$(FUZZ_TARGETS))
	bash scripts/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

