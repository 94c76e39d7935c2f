// sof say: speak a text with the interviewer's voice into a WAV file
// (PCM16, 16 kHz, mono), through the same voice agent a session uses.
#include "actors/audio/audio_file.hpp"
#include "actors/common/errors.hpp"
#include "actors/providers/tts/tts_provider.hpp"
#include "actors/session/offline_run.hpp"
#include "actors/voice/speech_text.hpp"
#include "tools/sof/cli_support.hpp"
#include "tools/sof/commands.hpp"
#include "tools/sof/voice_runner.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <unistd.h>

namespace sof::cli {
namespace {

struct say_options {
  std::string text;
  std::string provider;
  std::string voice;
  std::string out;
  common_options common;
};

int run(say_options& o) {
  auto setup = load_setup(o.common);
  if (setup.exit_code)
    return setup.exit_code;
  if (o.text == "-")
    o.text.assign(std::istreambuf_iterator<char>{std::cin}, {});
  auto& cfg_tts = setup.settings.tts;
  if (!o.provider.empty()) {
    cfg_tts.providers = {o.provider};
    cfg_tts.policy = "single";
  }
  if (!o.voice.empty()) {
    auto spec = tts::parse_spec(cfg_tts.providers.front());
    if (!spec)
      return fail(spec.error());
    cfg_tts.providers.front() = spec->name + ":" + o.voice;
  }
  if (cfg_tts.providers.size() < 2)
    cfg_tts.policy = "single";
  cfg_tts.realtime = false;  // a file, not a live listener
  // A file may hold a whole script: long text is spoken sentence by
  // sentence; only the session's limit for live lines is kept short.
  cfg_tts.max_text_chars = std::max(cfg_tts.max_text_chars, 200000);
  if (auto pieces = voice::split_for_speech(o.text, cfg_tts.max_text_chars); !pieces)
    return fail(pieces.error());
  if (auto err = voice::check_providers(cfg_tts))
    return fail(err);
  if (auto err = check_writable(o.out))
    return fail(err);
  caf::actor_system_config cfg;
  session::prepare_actor_config(cfg);
  caf::actor_system sys{cfg};
  voice::voice_options vo;
  vo.tts = cfg_tts;
  vo.supervision = setup.settings.supervision;
  vo.faults = setup.faults;
  spoken result;
  {
    voice_runner runner{sys, vo};
    result = runner.say(1, o.text, std::chrono::minutes{10});
  }
  if (result.done.outcome != "spoken")
    return fail(make_error(errc::provider_failed,
                           "could not speak the text: " + result.done.reason));
  if (auto err = audio::write_wav(o.out, result.pcm, 16000))
    return fail(err);
  std::fprintf(stderr,
               "sof: wrote %s: %.2f s of speech by %s (first audio after %.1f ms)\n",
               o.out.c_str(), result.pcm.size() / 16000.0,
               result.done.provider.c_str(), result.done.ttfa_ms);
  return 0;
}

}  // namespace

void add_say_command(CLI::App& app) {
  auto o = std::make_shared<say_options>();
  auto* cmd = app.add_subcommand(
    "say", "Speak TEXT with the interviewer's voice into a WAV file");
  cmd->add_option("text", o->text, "the text to speak ('-' reads stdin)")
    ->required();
  cmd->add_option("--provider", o->provider,
                  "espeak | flite | openai, optionally NAME:VOICE "
                  "(default: the configured providers and policy)");
  cmd->add_option("--voice", o->voice,
                  "voice of the provider (flite: kal16, slt; espeak: en-us, en-gb, ...)");
  cmd->add_option("--out", o->out, "output WAV file (PCM16, 16 kHz, mono)")
    ->required();
  o->common.add_to(cmd);
  cmd->callback([o] {
    if (int rc = run(*o); rc != 0)
      throw exit_code{rc};
  });
}

}  // namespace sof::cli
