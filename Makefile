# Scale or Fail — the two commands of the README, and their parts.
#   make run    set-up, build, run the main job on embedded defaults
#   make test   set-up, build, the whole test suite
JOBS ?= 2
BUILD_TYPE ?= RelWithDebInfo
CMAKE_FLAGS ?=
CTEST_FLAGS ?=
# LABELS=unit|integration runs only tests with those ctest labels.
LABELS ?=

# SANITIZE=address,undefined or SANITIZE=thread: the same targets in a build
# tree of their own, instrumented (docs/hardening.md). Any sanitizer report
# fails the test; suppressions for the uninstrumented Debian libraries are
# in tests/sanitizers/.
SANITIZE ?=
ifneq ($(SANITIZE),)
  comma := ,
  BUILD ?= build-san-$(subst $(comma),-,$(SANITIZE))
  CMAKE_FLAGS += -DSOF_SANITIZE=$(SANITIZE) -DSOF_BUILD_BENCH=OFF
  SAN_SUPP := $(CURDIR)/tests/sanitizers
  export ASAN_OPTIONS := abort_on_error=0:detect_leaks=1:detect_stack_use_after_return=0:strict_string_checks=1:check_initialization_order=1
  export LSAN_OPTIONS := suppressions=$(SAN_SUPP)/lsan.supp:print_suppressions=0
  export UBSAN_OPTIONS := print_stacktrace=1:halt_on_error=1:suppressions=$(SAN_SUPP)/ubsan.supp
  # Instrumented servers grade several times slower; clients wait longer.
  export SOF_SCORECARD_TIMEOUT := 900
  # suppress_equal_addresses=0: every suppressed CAF mailbox race is on a new
  # address, and TSan's linear search of the ones seen made instrumented runs
  # 8-40x slower (90% of CPU in FindRacyAddress); halt_on_error makes the
  # first real report fatal anyway, so duplicates cannot pile up.
  export TSAN_OPTIONS := halt_on_error=1:second_deadlock_stack=1:history_size=4:suppress_equal_addresses=0:suppressions=$(SAN_SUPP)/tsan.supp
endif
BUILD ?= build

PORT ?= 8080

.PHONY: setup configure build run demo test test-fast bench screenshots clean fuzz fuzz-build fuzz-smoke

setup:
	@bash tools/setup/install-deps.sh

configure: setup
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD) -j$(JOBS)

# The service on embedded defaults: prints its URL and a development token.
# Try it from another terminal with the line it prints under "try:".
run: build
	@echo "== sof serve on http://127.0.0.1:$(PORT) (Ctrl-C drains and stops); open the 'open the UI signed in' link below in a browser"
	@echo "   try: $(BUILD)/bin/sof client --url http://127.0.0.1:$(PORT) --token \$$($(BUILD)/bin/sof token --tenant dev --user dev) --question ticketing-flash-sale --audio $(BUILD)/share/sof/samples/ticketing_interview.wav --realtime"
	@$(BUILD)/bin/sof serve --port $(PORT) --data $(BUILD)/service

# A whole interview offline, no service: transcript, follow-ups, scorecard.
demo: build
	@echo "== sof interview: a spoken ticketing-system answer (3 turns) through the session actor tree"
	@$(BUILD)/bin/sof interview --question ticketing-flash-sale \
	  --audio $(BUILD)/share/sof/samples/ticketing_interview.wav --html $(BUILD)/scorecard.html

# The whole suite, then a short libFuzzer run of every fuzz target (the
# sanitizer builds skip it: `make fuzz` is its own ASan/UBSan build).
test: build
	@cd $(BUILD) && ctest --output-on-failure -j$(JOBS) $(if $(LABELS),-L '$(LABELS)') $(CTEST_FLAGS)
ifeq ($(SANITIZE),)
	@$(MAKE) --no-print-directory fuzz-smoke
endif

test-fast: build
	@cd $(BUILD) && ctest --output-on-failure -j$(JOBS) -LE slow $(CTEST_FLAGS)

# libFuzzer targets (tests/fuzz/, docs/hardening.md), built by clang with
# ASan and UBSan in a tree of their own, each run for FUZZ_SECONDS.
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
fuzz-build: setup
	@CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DSOF_FUZZ=ON -DSOF_SANITIZE=address,undefined -DSOF_BUILD_BENCH=OFF \
	  -DSOF_BUILD_WEB=OFF >/dev/null
	@cmake --build $(FUZZ_BUILD) -j$(JOBS) --target sof_fuzzers

fuzz: fuzz-build
	@python3 tools/fuzz/run_fuzzers.py --build $(FUZZ_BUILD) --seconds $(FUZZ_SECONDS) \
	  $(if $(FUZZ_TARGETS),--targets $(FUZZ_TARGETS))

FUZZ_SMOKE_SECONDS ?= 10
fuzz-smoke:
	@echo "== fuzz smoke: every libFuzzer target for $(FUZZ_SMOKE_SECONDS) s (make fuzz runs longer)"
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(FUZZ_SMOKE_SECONDS)

bench: build
	@$(BUILD)/bin/bench_engine
	@$(BUILD)/bin/bench_retrieval
	@$(BUILD)/bin/bench_voice

# The pictures in README.md and docs/web.md, taken by the browser test.
screenshots: build
	@node tests/web/e2e/practice_e2e.mjs --sof $(BUILD)/bin/sof \
	  --wav $(BUILD)/share/sof/samples/ticketing_interview.wav \
	  --reference config/samples/ticketing_interview.txt \
	  --work $(BUILD)/test-artifacts/web-shots --screenshots docs/images

clean:
	@rm -rf $(BUILD) $(FUZZ_BUILD) build-san-*
