# Scale or Fail — the two commands of the README, and their parts.
#   make run    set-up, build, run the main job on embedded defaults
#   make test   set-up, build, the whole test suite
BUILD ?= build
JOBS ?= 2
BUILD_TYPE ?= RelWithDebInfo
CMAKE_FLAGS ?=
CTEST_FLAGS ?=

PORT ?= 8080

.PHONY: setup configure build run demo test test-fast bench screenshots clean

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

test: build
	@cd $(BUILD) && ctest --output-on-failure -j$(JOBS) $(CTEST_FLAGS)

test-fast: build
	@cd $(BUILD) && ctest --output-on-failure -j$(JOBS) -LE slow $(CTEST_FLAGS)

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
	@rm -rf $(BUILD)
