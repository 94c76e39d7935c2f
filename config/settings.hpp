#pragma once
// Typed configuration of the engine. Loaded from config/sof.toml (defaults)
// and an optional override file; every value is validated at load so that
// bad configuration stops start-up with a clear message.
#include <caf/expected.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace sof::config {

struct capture_settings {
  int frame_ms = 20;
  int reorder_window = 64;
  double vad_margin_db = 12.0;
  double vad_floor_db = -55.0;
  int speech_start_ms = 60;
  int utterance_end_ms = 450;
  int end_of_turn_ms = 2500;
  int pre_roll_ms = 200;
  int pause_min_ms = 700;
};

struct pocketsphinx_settings {
  std::string model_dir = "/usr/share/pocketsphinx/model/en-us";
  std::string domain_lm;    // empty: the build's default
  std::string domain_dict;  // empty: the build's default
  double domain_weight = 0.3;
  // Weight of a session's question model (built from its prompt, rubric
  // and knowledge-base passages) against domain + general; 0: off.
  double question_weight = 0.3;
  // Search tuning (pocketsphinx flags of the same names); defaults are the
  // measured speed/accuracy trade-off documented in docs/stt.md.
  double beam = 1e-48;
  double wbeam = 7e-29;
  double pbeam = 1e-48;
  double lw = 5.5;
  double wip = 0.65;        // word insertion penalty (stock 0.65)
  double silprob = 0.005;   // silence word probability (stock)
  double fillprob = 1e-8;   // filler word probability (stock)
  int maxhmmpf = 2000;
  int pl_window = 5;
  int ds = 1;
  int topn = 4;
  bool fwdflat = false;
  bool bestpath = true;
  // Carry the live cepstral mean from one utterance to the next within a
  // session (recorded per utterance, so replay stays exact). false: every
  // utterance starts from the model's initial mean.
  bool adapt = true;
  // A session's first utterance has no earlier audio to adapt on: decode
  // it a second time from its own cepstral mean (one extra decode per
  // session). Needs adapt.
  bool warm_start = true;
  int nbest = 3;  // alternatives kept per utterance (0: none)
};

struct openai_stt_settings {
  std::string url = "http://127.0.0.1:8080/v1/audio/transcriptions";
  std::string model = "whisper-1";
  std::string api_key_env = "SOF_STT_API_KEY";
  int timeout_ms = 20000;
};

struct stt_settings {
  std::string provider = "pocketsphinx";
  int final_timeout_ms = 15000;
  int partial_every_ms = 600;
  // A second recogniser for each closed utterance whose text replaces the
  // local final when it answers within the deadline (docs/stt.md "Second
  // pass"). Empty: off; "openai": the provider configured in [stt.openai].
  std::string second_pass;
  int second_pass_deadline_ms = 1500;
  pocketsphinx_settings pocketsphinx;
  openai_stt_settings openai;
};

struct espeak_settings {
  std::string voice = "en-us";  // an espeak-ng voice name (espeak-ng --voices)
  int rate_wpm = 165;
  std::string data_path;        // empty: the system's espeak-ng-data
};

struct flite_settings {
  std::string voice = "kal16";  // kal16 (fast, 16 kHz) or slt (better, ~20x slower)
};

struct openai_tts_settings {
  std::string url = "http://127.0.0.1:8080/v1/audio/speech";
  std::string model = "tts-1";
  std::string voice = "alloy";
  std::string api_key_env = "SOF_TTS_API_KEY";
  int timeout_ms = 20000;
  int sample_rate = 24000;  // of the raw PCM16 the server streams back
};

struct tts_settings {
  std::string policy = "race";  // single | race | hedge
  // Provider specs NAME[:VOICE]; the first is the primary (single, hedge).
  std::vector<std::string> providers{"flite:kal16", "espeak"};
  int hedge_delay_ms = 0;        // 0: learned from the primary's p95
  int hedge_default_ms = 60;     // used until enough samples are learned
  int chunk_ms = 20;             // size of the audio chunks sent out (10..40)
  bool realtime = true;          // pace output at real time (barge-in needs it)
  int lead_ms = 100;             // audio sent ahead of real time
  int first_chunk_timeout_ms = 3000;  // a provider silent this long is hung
  int max_text_chars = 4000;     // longer text is refused, not truncated
  espeak_settings espeak;
  flite_settings flite;
  openai_tts_settings openai;
};

struct supervision_settings {
  int backoff_initial_ms = 50;
  int backoff_max_ms = 2000;
  double backoff_multiplier = 2.0;
  int max_restarts = 30;
  int restart_window_s = 60;
};

struct grading_settings {
  int deadline_ms = 5000;  // a grader with no result by then is retried
  int retries = 1;         // then reported "unavailable"
  /// Recognised speech: the share of a said point's similarity, and of the
  /// answer's topic match, that survives recognition errors
  /// (docs/grading.md "Recognition errors"); 1 with a recogniser that makes
  /// few.
  double recognised_retention = 0.9;
  double recognised_topic_retention = 0.65;
};

struct server_settings {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string data_dir;        // empty: $SOF_HOME/service or ~/.local/share/sof/service
  std::string web_dir;         // empty: the repository's web/
  int threads = 2;             // network threads
  int resume_window_s = 60;    // a detached live session waits this long
  int idle_timeout_s = 30;     // a connection silent this long is closed
  int max_message_rate = 100;  // WebSocket messages per second per connection
  int drain_timeout_s = 20;    // SIGTERM: finish live sessions within this
  bool journals = true;        // keep a msgpack journal per session
};

struct auth_config {
  std::string issuer;
  std::string audience;
  std::string jwks_file;
  std::string jwks_url;
  int jwks_cache_s = 600;
  std::string hs256_secret;    // development tokens (sof token); "" disables
  std::string tenant_claim = "tenant";
  std::string user_claim = "sub";
  std::vector<std::string> api_keys;  // "KEY:TENANT:USER"
  int leeway_s = 60;
  // Browser sign-in (GET /v1/auth/config): a public OIDC client using the
  // authorization code flow with PKCE; offered when issuer and client id
  // are both set.
  std::string oidc_client_id;
  std::string oidc_scopes = "openid profile email";
  std::string oidc_token = "access_token";  // sent to the API: access_token | id_token
};

struct limits_settings {
  int concurrent_sessions = 8;   // live sessions per tenant
  int sessions_per_day = 500;    // per tenant, rolling 24 h
  double requests_per_second = 20;  // REST, per tenant
  int burst = 40;
};

struct chaos_settings {
  std::string spec;
  uint64_t seed = 1;
};

struct settings {
  std::string log_level = "warn";
  capture_settings capture;
  stt_settings stt;
  tts_settings tts;
  supervision_settings supervision;
  grading_settings grading;
  server_settings server;
  auth_config auth;
  limits_settings limits;
  chaos_settings chaos;
};

/// Path of the bundled default configuration (config/sof.toml).
std::string default_config_path();

/// Loads the defaults, then applies `override_path` if not empty.
caf::expected<settings> load(const std::string& override_path = {});

/// Parses TOML text on top of `base` (used by load and by tests).
caf::expected<settings> parse(const std::string& toml_text,
                              const std::string& origin, settings base = {});

/// Recognisers that can serve as [stt] second_pass.
const std::vector<std::string>& known_second_pass();

/// Checks ranges and cross-field rules; returns a descriptive error.
caf::error validate(const settings& s);

/// The development secret config/sof.toml ships: anyone can read it.
inline constexpr const char* development_secret = "sof-development-secret-change-me";

/// `sof serve` only: a server reachable from other machines (`[server]
/// host` not loopback) must not accept tokens signed with the shipped
/// development secret, nor with one shorter than 32 bytes.
caf::error validate_serving(const settings& s);

}  // namespace sof::config
