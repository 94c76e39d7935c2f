#include "config/settings.hpp"

#include "actors/common/errors.hpp"

#include <gtest/gtest.h>

using namespace sof;

TEST(settings, bundled_defaults_load_and_validate) {
  auto s = config::load();
  ASSERT_TRUE(s) << describe(s.error());
  EXPECT_EQ(s->stt.provider, "pocketsphinx");
  EXPECT_GE(s->capture.end_of_turn_ms, 2000) << "must outlast thinking pauses";
  EXPECT_FALSE(config::validate(*s));
}

TEST(settings, overrides_apply_on_top_of_defaults) {
  auto s = config::parse("[capture]\nend_of_turn_ms = 4000\n[chaos]\nseed = 9\n",
                         "test.toml");
  ASSERT_TRUE(s) << describe(s.error());
  EXPECT_EQ(s->capture.end_of_turn_ms, 4000);
  EXPECT_EQ(s->capture.frame_ms, 20);
  EXPECT_EQ(s->chaos.seed, 9u);
}

TEST(settings, unknown_keys_and_wrong_types_stop_start_up) {
  auto typo = config::parse("[capture]\nend_of_trun_ms = 4000\n", "t.toml");
  ASSERT_FALSE(typo);
  EXPECT_NE(describe(typo.error()).find("capture.end_of_trun_ms"),
            std::string::npos);
  auto type = config::parse("[capture]\nframe_ms = \"twenty\"\n", "t.toml");
  ASSERT_FALSE(type);
  EXPECT_NE(describe(type.error()).find("frame_ms"), std::string::npos);
  auto syntax = config::parse("[capture\nframe_ms = 20\n", "t.toml");
  EXPECT_FALSE(syntax);
}

TEST(settings, out_of_range_values_are_named) {
  auto s = config::parse("[capture]\nframe_ms = 500\n[supervision]\n"
                         "backoff_multiplier = 0.5\n",
                         "t.toml");
  ASSERT_FALSE(s);
  auto msg = describe(s.error());
  EXPECT_NE(msg.find("capture.frame_ms"), std::string::npos) << msg;
  EXPECT_NE(msg.find("backoff_multiplier"), std::string::npos) << msg;
  auto grading = config::parse("[grading]\nrecognised_retention = 0.2\n", "t.toml");
  ASSERT_FALSE(grading);
  EXPECT_NE(describe(grading.error()).find("grading.recognised_retention must be 0.5..1"),
            std::string::npos)
    << describe(grading.error());
  auto typed = config::parse("[grading]\nrecognised_retention = 1\n"
                             "recognised_topic_retention = 1.0\n", "t.toml");
  ASSERT_TRUE(typed) << describe(typed.error());
  EXPECT_DOUBLE_EQ(typed->grading.recognised_topic_retention, 1.0);
}

TEST(settings, second_pass_is_off_by_default_and_checked_at_start_up) {
  auto d = config::load();
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->stt.second_pass.empty());
  EXPECT_EQ(d->stt.second_pass_deadline_ms, 1500);
  auto on = config::parse("[stt]\nsecond_pass = \"openai\"\n"
                          "second_pass_deadline_ms = 800\n", "t.toml");
  ASSERT_TRUE(on) << describe(on.error());
  EXPECT_EQ(on->stt.second_pass, "openai");
  EXPECT_EQ(on->stt.second_pass_deadline_ms, 800);
  auto unknown = config::parse("[stt]\nsecond_pass = \"whisper\"\n", "t.toml");
  ASSERT_FALSE(unknown);
  auto msg = describe(unknown.error());
  EXPECT_NE(msg.find("unknown stt.second_pass 'whisper'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("known: \"\" (off), openai"), std::string::npos) << msg;
  for (const char* bad : {"99", "30001"}) {
    auto r = config::parse(std::string{"[stt]\nsecond_pass_deadline_ms = "} + bad
                             + "\n", "t.toml");
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(describe(r.error()).find("stt.second_pass_deadline_ms must be 100..30000"),
              std::string::npos);
  }
  auto same = config::parse("[stt]\nprovider = \"openai\"\nsecond_pass = \"openai\"\n",
                            "t.toml");
  ASSERT_FALSE(same);
  EXPECT_NE(describe(same.error()).find("must differ from stt.provider"),
            std::string::npos);
}

TEST(settings, missing_override_file_is_an_error) {
  auto s = config::load("/nonexistent/sof.toml");
  ASSERT_FALSE(s);
  EXPECT_NE(describe(s.error()).find("/nonexistent/sof.toml"), std::string::npos);
}

TEST(settings, browser_sign_in_keys) {
  auto d = config::load();
  ASSERT_TRUE(d) << describe(d.error());
  EXPECT_EQ(d->auth.oidc_client_id, "");
  EXPECT_EQ(d->auth.oidc_scopes, "openid profile email");
  EXPECT_EQ(d->auth.oidc_token, "access_token");
  auto s = config::parse("[auth]\noidc_client_id = \"spa-123\"\noidc_token = \"id_token\"\n"
                         "oidc_scopes = \"openid\"\n",
                         "t.toml");
  ASSERT_TRUE(s) << describe(s.error());
  EXPECT_EQ(s->auth.oidc_client_id, "spa-123");
  EXPECT_EQ(s->auth.oidc_token, "id_token");
  EXPECT_EQ(s->auth.oidc_scopes, "openid");
  auto bad = config::parse("[auth]\noidc_token = \"refresh_token\"\n", "t.toml");
  ASSERT_FALSE(bad);
  EXPECT_NE(describe(bad.error()).find("auth.oidc_token must be access_token or id_token"),
            std::string::npos)
    << describe(bad.error());
  auto no_scopes = config::parse("[auth]\noidc_client_id = \"x\"\noidc_scopes = \"\"\n", "t.toml");
  ASSERT_FALSE(no_scopes);
  EXPECT_NE(describe(no_scopes.error()).find("oidc_scopes"), std::string::npos);
}

// toml11 3.7 cannot be trusted with either of these (tests/fuzz/regressions/
// settings): both are refused before it sees them, with the line or reason.
TEST(settings, non_utf8_text_is_refused_with_its_line) {
  auto r = sof::config::parse("[server]\nport = 8080\nname = 'caf\xe9'\n", "bad.toml");
  ASSERT_FALSE(r);
  auto msg = sof::describe(r.error());
  EXPECT_NE(msg.find("bad.toml: line 3: not UTF-8"), std::string::npos) << msg;
  // Overlong encodings and surrogates are not UTF-8 either.
  EXPECT_FALSE(sof::config::parse("a = \"\xc0\xaf\"\n", "x.toml"));
  EXPECT_FALSE(sof::config::parse("a = \"\xed\xa0\x80\"\n", "x.toml"));
  EXPECT_TRUE(sof::config::parse("# caf\xc3\xa9 \xf0\x9f\x8e\xa4\n", "ok.toml"));
}

TEST(settings, deep_nesting_is_refused_not_a_stack_overflow) {
  std::string deep = "a = " + std::string(20000, '[') + std::string(20000, ']') + "\n";
  auto r = sof::config::parse(deep, "deep.toml");
  ASSERT_FALSE(r);
  EXPECT_NE(sof::describe(r.error()).find("nested deeper than 32"), std::string::npos);
  // Brackets inside strings and comments do not count.
  std::string text = "# [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n[server]\n"
                     "web_dir = '" + std::string(40, '[') + "'\n";
  auto ok = sof::config::parse(text, "ok.toml");
  EXPECT_TRUE(ok) << sof::describe(ok.error());
}

TEST(settings, serving_beyond_loopback_needs_a_real_secret) {
  auto base = config::load();
  ASSERT_TRUE(base) << describe(base.error());
  EXPECT_EQ(base->auth.hs256_secret, config::development_secret);
  EXPECT_FALSE(config::validate_serving(*base));  // loopback: the demo works
  auto open = *base;
  open.server.host = "0.0.0.0";
  auto err = config::validate_serving(open);
  ASSERT_TRUE(err);
  EXPECT_NE(describe(err).find("development secret"), std::string::npos) << describe(err);
  EXPECT_NE(describe(err).find("openssl rand"), std::string::npos) << describe(err);
  open.auth.hs256_secret = "short-secret";
  err = config::validate_serving(open);
  ASSERT_TRUE(err);
  EXPECT_NE(describe(err).find("12 bytes"), std::string::npos) << describe(err);
  open.auth.hs256_secret = std::string(32, 'k');
  EXPECT_FALSE(config::validate_serving(open));
  open.auth.hs256_secret = "";  // OIDC / API keys only
  EXPECT_FALSE(config::validate_serving(open));
  // A name that only starts like a loopback address is not one.
  open.auth.hs256_secret = config::development_secret;
  open.server.host = "127.0.0.1.nip.io";
  EXPECT_TRUE(config::validate_serving(open));
  for (const char* host : {"127.0.0.1", "::1", "localhost"}) {
    auto local = *base;
    local.server.host = host;
    EXPECT_FALSE(config::validate_serving(local)) << host;
  }
}
