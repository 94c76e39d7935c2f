# Scale or Fail — the two commands of the README, and their parts.
#   make run    set-up, build, run the main job on embedded defaults
#   make test   set-up, build, the whole test suite
BUILD ?= build
JOBS ?= 2
BUILD_TYPE ?= RelWithDebInfo
CMAKE_FLAGS ?=
CTEST_FLAGS ?=

.PHONY: setup configure build run test test-fast bench clean

setup:
	@bash tools/setup/install-deps.sh

configure: setup
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD) -j$(JOBS)

run: build
	@echo "== sof interview: a spoken ticketing-system answer (3 turns) through the session actor tree"
	@$(BUILD)/bin/sof interview --question ticketing-flash-sale \
	  --audio $(BUILD)/share/sof/samples/ticketing_interview.wav --html $(BUILD)/scorecard.html

test: build
	@cd $(BUILD) && ctest --output-on-failure -j$(JOBS) $(CTEST_FLAGS)

test-fast: build
	@cd $(BUILD) && ctest --output-on-failure -j$(JOBS) -LE slow $(CTEST_FLAGS)

bench: build
	@$(BUILD)/bin/bench_engine
	@$(BUILD)/bin/bench_retrieval

clean:
	@rm -rf $(BUILD)
