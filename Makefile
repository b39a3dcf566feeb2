# Thin wrapper around CMake. `make` builds ./build/btcstream (a contract: scripts rely on that
# path); `make run` and `make test` first install the Debian packages they need.

BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CTEST_ARGS ?= --output-on-failure

.PHONY: all deps node-deps build run test test-plain test-asan bench soak format clean

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
	clang-format -i include/btcstream/*.h lib/*.c lib/*.h lib/*/*.c lib/*/*.h src/*.c src/*.h tests/*.c examples/*.c bench/*.c

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
