# The two commands of the quick start: `make demo` and `make test`.
# Each installs what is missing, configures, builds, then runs.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=Check

.PHONY: all bootstrap configure build test demo bench clean format fuzz test-sanitize

all: build

bootstrap:
	@scripts/bootstrap.sh

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS)

configure: bootstrap $(BUILD)/build.ninja

build: configure
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest -j $(JOBS) --output-on-failure --timeout 600

demo: build
	$(BUILD)/bin/moe demo

bench: build
	$(BUILD)/bin/moe_bench

# Fuzzing (fuzz/): a clang build in $(FUZZ_BUILD) instrumented with libFuzzer,
# ASan and UBSan; each target runs FUZZ_SECONDS from the checked-in seeds,
# growing its corpus in $(FUZZ_BUILD)/corpus/<target>. A crash stops the run
# and leaves its input as $(FUZZ_BUILD)/<target>-crash-*.
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_CXX ?= clang++-14
FUZZ_TARGETS ?= fuzz_json fuzz_expression fuzz_http_request fuzz_sigv4_verify fuzz_registry
# UBSan checks stay recoverable so third-party findings can be suppressed;
# halt_on_error makes every other one fatal.
SAN_ENV = UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:suppressions=$(CURDIR)/scripts/ubsan_suppressions.txt

fuzz:
	CXX=$(FUZZ_CXX) cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DMOE_BUILD_FUZZ=ON -DMOE_BUILD_TESTS=OFF -DMOE_BUILD_BENCH=OFF -DMOE_BUILD_TOOLS=OFF \
	  -DMOE_BUILD_EXAMPLES=OFF -DMOE_INSTALL=OFF
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target $(FUZZ_TARGETS)
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_BUILD)/corpus/$$t || exit 1; \
	  echo "== $$t ($(FUZZ_SECONDS) s)"; \
	  $(SAN_ENV) $(FUZZ_BUILD)/bin/$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix=$(FUZZ_BUILD)/$$t- \
	    $(FUZZ_BUILD)/corpus/$$t fuzz/corpus/$$t || exit 1; \
	done

# The whole CTest suite under AddressSanitizer + UndefinedBehaviorSanitizer,
# in its own build directory (any undefined behaviour fails the test). It uses
# the Check build type of `make test` (-O1 plus small-function inlining, line
# tables). SAN_CMAKE_FLAGS adds configure
# flags, e.g. SAN_CMAKE_FLAGS=-DCMAKE_CXX_COMPILER_LAUNCHER=ccache where ccache
# is installed (empty by default: CI machines lack it).
SAN_BUILD ?= build-asan
SAN_FLAGS ?= -fsanitize=address,undefined -fno-omit-frame-pointer
SAN_CMAKE_FLAGS ?=

test-sanitize: bootstrap
	cmake -S . -B $(SAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Check -DMOE_BUILD_BENCH=OFF \
	  -DCMAKE_CXX_FLAGS="$(SAN_FLAGS)" -DCMAKE_EXE_LINKER_FLAGS="$(SAN_FLAGS)" \
	  -DCMAKE_SHARED_LINKER_FLAGS="$(SAN_FLAGS)" $(SAN_CMAKE_FLAGS)
	cmake --build $(SAN_BUILD) -j $(JOBS)
	cd $(SAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 $(SAN_ENV) \
	  ctest -j $(JOBS) --output-on-failure --timeout 900

format:
	clang-format -i $$(git ls-files '*.h' '*.cc')

clean:
	rm -rf $(BUILD)
