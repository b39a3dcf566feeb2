# Thin wrapper around CMake. `make` builds ./build/btcstream (a contract: scripts rely on that
# path); `make run` and `make test` first install the Debian packages they need.

BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CTEST_ARGS ?= --output-on-failure

FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= $(patsubst fuzz/fuzz_%.c,%,$(wildcard fuzz/fuzz_*.c))

.PHONY: all deps node-deps build run test test-plain test-asan bench fuzz format clean

all: build

deps:
	@bash scripts/install-deps.sh

node-deps: deps
	@bash scripts/install-node-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DBS_WERROR=ON >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

run: build
	./$(BUILD)/btcstream run --source sim --duration 10s --interval 100ms --quiet

test: node-deps test-plain test-asan

test-plain: build
	cd $(BUILD) && ctest $(CTEST_ARGS)

test-asan: deps
	@cmake -S . -B $(ASAN_BUILD) -DBS_WERROR=ON -DBS_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
	@cmake --build $(ASAN_BUILD) -j$(JOBS)
	cd $(ASAN_BUILD) && BS_UNDER_SANITIZER=1 ctest $(CTEST_ARGS)

bench: build node-deps
	bash bench/run.sh

# libFuzzer (clang, ASan+UBSan) on each harness of fuzz/ for FUZZ_SECONDS; new inputs go to
# $(FUZZ_BUILD)/corpus/, crashes to $(FUZZ_BUILD)/crashes/ (see fuzz/README.md).
fuzz: deps
	@cmake -S . -B $(FUZZ_BUILD) -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
		-DBS_FUZZ=ON -DBS_SANITIZE=ON >/dev/null
	@cmake --build $(FUZZ_BUILD) -j$(JOBS) --target $(addprefix fuzz_,$(FUZZ_TARGETS))
	bash scripts/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

format:
	clang-format -i include/btcstream/*.h lib/*.c lib/*.h src/*.c src/*.h tests/*.c examples/*.c bench/*.c fuzz/*.c fuzz/*.h

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
