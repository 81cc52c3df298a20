//! Settings precedence (flag > environment > profile > top level), profiles, and how a bad
//! config file is reported.

use serde_json::json;
use wiremock::MockServer;

use crate::common::*;

const PROFILES: &str = "\
model = \"top-model\"

[profiles.work]
model = \"profile-model\"

[profiles.cheap]
model = \"qwen-flash\"
";

async fn ok_server() -> MockServer {
    let server = MockServer::start().await;
    chat().respond_with(stream(&["ok"])).mount(&server).await;
    server
}

/// Runs `qwen chat hi` with `args` and `env`, and returns the model it asked for.
async fn model_used(
    server: &MockServer,
    dir: &std::path::Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> String {
    let before = bodies(server).await.len();
    let mut cmd = qwen(&server.uri(), dir);
    cmd.arg("chat").args(args).arg("hi");
    for (k, v) in env {
        cmd.env(k, v);
    }
    run(&mut cmd).success();
    let bodies = bodies(server).await;
    assert_eq!(bodies.len(), before + 1);
    bodies[before]["model"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn model_precedence_is_flag_then_env_then_profile_then_top_level() {
    let server = ok_server().await;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_config(d, PROFILES);
    assert_eq!(model_used(&server, d, &[], &[]).await, "top-model");
    assert_eq!(
        model_used(&server, d, &["--profile", "work"], &[]).await,
        "profile-model"
    );
    assert_eq!(
        model_used(
            &server,
            d,
            &["--profile", "work"],
            &[("QWEN_MODEL", "env-model")]
        )
        .await,
        "env-model"
    );
    assert_eq!(
        model_used(
            &server,
            d,
            &["--profile", "work", "-m", "flag-model"],
            &[("QWEN_MODEL", "env-model")]
        )
        .await,
        "flag-model"
    );
}

#[tokio::test]
async fn default_model_without_any_config_is_qwen_plus() {
    let server = ok_server().await;
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(model_used(&server, dir.path(), &[], &[]).await, "qwen-plus");
}

#[tokio::test]
async fn qwen_profile_env_selects_a_profile_and_the_flag_beats_it() {
    let server = ok_server().await;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_config(d, PROFILES);
    assert_eq!(
        model_used(&server, d, &[], &[("QWEN_PROFILE", "work")]).await,
        "profile-model"
    );
    assert_eq!(
        model_used(
            &server,
            d,
            &["--profile", "cheap"],
            &[("QWEN_PROFILE", "work")]
        )
        .await,
        "qwen-flash"
    );
}

#[tokio::test]
async fn top_level_profile_key_picks_the_default_profile() {
    let server = ok_server().await;
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), &format!("profile = \"cheap\"\n{PROFILES}"));
    assert_eq!(
        model_used(&server, dir.path(), &[], &[]).await,
        "qwen-flash"
    );
}

#[tokio::test]
async fn unknown_profile_is_a_usage_error_listing_known_ones() {
    let server = MockServer::start().await;
    chat()
        .respond_with(stream(&["ok"]))
        .expect(0)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), PROFILES);
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "--profile", "nope", "hi"])).code(2);
    let err = stderr(&a);
    assert!(err.contains("no profile `nope`"), "{err}");
    assert!(err.contains("cheap, work"), "{err}");
}

#[tokio::test]
async fn unknown_key_warns_and_the_command_still_works() {
    let server = MockServer::start().await;
    chat()
        .and(wiremock::matchers::body_partial_json(
            json!({"model": "top-model"}),
        ))
        .respond_with(stream(&["ok"]))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), "model = \"top-model\"\ncolour = \"blue\"\n");
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "hi"]))
        .success()
        .stdout("ok\n");
    let err = stderr(&a);
    assert!(err.contains("warning"), "{err}");
    assert!(err.contains("`colour`"), "{err}");
    assert!(err.contains("config.toml"), "{err}");
}

#[tokio::test]
async fn quiet_silences_the_unknown_key_warning() {
    let server = ok_server().await;
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), "colour = \"blue\"\n");
    run(qwen(&server.uri(), dir.path()).args(["chat", "-q", "hi"]))
        .success()
        .stderr("");
}

#[tokio::test]
async fn type_error_is_a_usage_error_with_file_and_line() {
    let server = MockServer::start().await;
    chat()
        .respond_with(stream(&["ok"]))
        .expect(0)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write_config(
        dir.path(),
        "model = \"m\"\n\n[params]\ntemperature = \"hot\"\n",
    );
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "hi"])).code(2);
    let err = stderr(&a);
    assert!(err.starts_with("qwen: error: "), "{err}");
    assert!(err.contains("config.toml"), "{err}");
    assert!(err.contains("line 4"), "{err}");
}

#[tokio::test]
async fn toml_syntax_error_is_a_usage_error_with_its_line() {
    let server = MockServer::start().await;
    chat()
        .respond_with(stream(&["ok"]))
        .expect(0)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), "model = \"m\"\nretries = \n");
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "hi"])).code(2);
    let err = stderr(&a);
    assert!(err.contains("config.toml"), "{err}");
    assert!(err.contains("line 2"), "{err}");
}

#[tokio::test]
async fn params_from_config_reach_the_body_and_flags_override_them() {
    let server = ok_server().await;
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), "[params]\ntemperature = 0.3\nseed = 7\n");
    run(qwen(&server.uri(), dir.path()).args(["chat", "hi"])).success();
    run(qwen(&server.uri(), dir.path()).args(["chat", "--temperature", "0.9", "hi"])).success();
    let bodies = bodies(&server).await;
    assert_eq!(bodies[0]["temperature"], 0.3);
    assert_eq!(bodies[0]["seed"], 7);
    assert_eq!(bodies[1]["temperature"], 0.9);
    assert_eq!(bodies[1]["seed"], 7, "a flag overrides only its own field");
}

#[tokio::test]
async fn profile_params_extend_top_level_params() {
    let server = ok_server().await;
    let dir = tempfile::tempdir().unwrap();
    write_config(
        dir.path(),
        "[params]\ntemperature = 0.3\ntop_k = 5\n\n[profiles.hot.params]\ntemperature = 1.2\n",
    );
    run(qwen(&server.uri(), dir.path()).args(["chat", "--profile", "hot", "hi"])).success();
    let body = &bodies(&server).await[0];
    assert_eq!(body["temperature"], 1.2);
    assert_eq!(body["top_k"], 5);
}

#[tokio::test]
async fn base_url_flag_beats_the_environment() {
    let server = ok_server().await;
    let dir = tempfile::tempdir().unwrap();
    // The environment points at a closed port; the flag at the mock.
    run(qwen("http://127.0.0.1:9/v1", dir.path()).args([
        "chat",
        "--base-url",
        &server.uri(),
        "hi",
    ]))
    .success()
    .stdout("ok\n");
}

#[tokio::test]
async fn invalid_base_url_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen("ftp://127.0.0.1/v1", dir.path()).args(["chat", "hi"])).code(2);
    assert!(stderr(&a).contains("invalid base URL"), "{}", stderr(&a));
}

#[tokio::test]
async fn invalid_duration_is_a_usage_error_and_sends_nothing() {
    let server = MockServer::start().await;
    chat()
        .respond_with(stream(&["ok"]))
        .expect(0)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a =
        run(qwen(&server.uri(), dir.path()).args(["chat", "--first-token-timeout", "soon", "hi"]))
            .code(2);
    let err = stderr(&a);
    assert!(err.contains("first-token-timeout"), "{err}");
    assert!(err.contains("`soon`"), "{err}");
}

#[tokio::test]
async fn workspace_from_the_environment_is_sent_as_a_header() {
    let server = MockServer::start().await;
    chat()
        .and(wiremock::matchers::header(
            "x-dashscope-workspace",
            "ws-env",
        ))
        .respond_with(stream(&["ok"]))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path())
        .env("DASHSCOPE_WORKSPACE", "ws-env")
        .args(["chat", "hi"]))
    .success();
}

#[tokio::test]
async fn workspace_from_the_environment_beats_the_config_file() {
    // Settings precedence is flags > environment > config file (config.rs).
    let server = MockServer::start().await;
    chat()
        .and(wiremock::matchers::header(
            "x-dashscope-workspace",
            "ws-env",
        ))
        .respond_with(stream(&["ok"]))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), "workspace = \"ws-config\"\n");
    run(qwen(&server.uri(), dir.path())
        .env("DASHSCOPE_WORKSPACE", "ws-env")
        .args(["chat", "hi"]))
    .success();
}

#[test]
fn a_profile_region_beats_a_top_level_base_url() {
    let dir = tempfile::tempdir().unwrap();
    write_config(
        dir.path(),
        "base_url = \"http://127.0.0.1:9/top/v1\"\n[profiles.b]\nregion = \"cn\"\n",
    );
    let mut cmd = qwen("", dir.path());
    cmd.env_remove("DASHSCOPE_BASE_URL");
    let assert = run(cmd.args(["--profile", "b", "chat", "--dry-run", "hi"])).success();
    assert!(
        stdout(&assert)
            .starts_with("POST https://dashscope.aliyuncs.com/compatible-mode/v1/chat/completions"),
        "{}",
        stdout(&assert)
    );
}

#[tokio::test]
async fn a_config_file_that_is_not_utf8_or_endless_is_a_usage_error() {
    let server = MockServer::start().await;
    chat()
        .respond_with(stream(&["ok"]))
        .expect(0)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("config.toml"),
        b"model = \"qwen-plus\"\n# caf\xe9\n",
    )
    .unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "hi"])).code(2);
    assert!(
        stderr(&a).contains("config.toml` is not UTF-8 text (invalid byte at offset 25)"),
        "{}",
        stderr(&a)
    );
    std::fs::remove_file(config.join("config.toml")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", config.join("config.toml")).unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "hi"])).code(2);
    assert!(stderr(&a).contains("looks binary"), "{}", stderr(&a));
}

#[tokio::test]
async fn out_of_range_and_non_finite_parameters_exit_2_and_send_nothing() {
    let server = MockServer::start().await;
    chat()
        .respond_with(stream(&["ok"]))
        .expect(0)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    for (args, expect) in [
        (
            &["--temperature", "nan"][..],
            "`--temperature` is `NaN`, outside [0, 2)",
        ),
        (
            &["--temperature", "2"],
            "`--temperature` is `2`, outside [0, 2)",
        ),
        (&["--top-p", "inf"], "`--top-p` is `inf`, outside (0, 1]"),
        (&["--top-p", "0"], "`--top-p` is `0`, outside (0, 1]"),
        (&["--presence-penalty", "-3"], "outside [-2, 2]"),
        (
            &["--repetition-penalty", "0"],
            "`--repetition-penalty` is `0`",
        ),
        (
            &["--max-tokens", "0"],
            "`--max-tokens` is `0`; it must be at least 1",
        ),
    ] {
        for command in ["chat", "complete"] {
            let a = run(qwen(&server.uri(), dir.path())
                .arg(command)
                .args(args)
                .arg("hi"))
            .code(2);
            assert!(stderr(&a).contains(expect), "{args:?}: {}", stderr(&a));
        }
    }
    // Also in --dry-run, and from the config file, which is named.
    write_config(dir.path(), "[params]\ntemperature = nan\n");
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "--dry-run", "hi"])).code(2);
    assert!(
        stderr(&a).contains("`temperature` in `[params]` is `NaN`, outside [0, 2)"),
        "{}",
        stderr(&a)
    );
}

#[tokio::test]
async fn extra_overriding_a_flag_warns_and_still_wins() {
    let server = ok_server().await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args([
        "chat",
        "--temperature",
        "0.2",
        "--extra",
        "temperature=1.5",
        "--extra",
        "n=1",
        "hi",
    ]))
    .success();
    let err = stderr(&a);
    assert!(
        err.contains("warning: `--extra temperature=1.5` overrides the value of `--temperature`"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "no warning for `n`: {err}");
    let body = &bodies(&server).await[0];
    assert_eq!(body["temperature"], json!(1.5));
}

#[tokio::test]
async fn the_catalogue_checks_a_request_before_it_is_sent() {
    let server = ok_server().await;
    let dir = tempfile::tempdir().unwrap();
    // A stream-only model asked not to stream: the API would refuse it.
    let a =
        run(qwen(&server.uri(), dir.path()).args(["chat", "-m", "qwq-plus", "--no-stream", "hi"]))
            .code(2);
    assert!(
        stderr(&a).contains("`qwq-plus` answers only as a stream"),
        "{}",
        stderr(&a)
    );
    assert!(bodies(&server).await.is_empty());
    // Things the model ignores, or probably refuses: warnings, and the request goes.
    let a = run(qwen(&server.uri(), dir.path())
        .args(["chat", "-m", "qwen-max", "--think", "--max-tokens", "9000"])
        .write_stdin("word ".repeat(30_000)))
    .success();
    let err = stderr(&a);
    assert!(
        err.contains("warning: `qwen-max` has no thinking mode"),
        "{err}"
    );
    assert!(
        err.contains("warning: `--max-tokens 9000` is more than `qwen-max` writes (8192 tokens)"),
        "{err}"
    );
    assert!(err.contains("warning: the input is about 37500 tokens (estimated), more than `qwen-max` takes (30720)"), "{err}");
    // A model the catalogue does not know (a local server's) gets no noise.
    let a = run(qwen(&server.uri(), dir.path()).args([
        "chat",
        "-m",
        "my-local-model",
        "--think",
        "--max-tokens",
        "99999",
        "hi",
    ]));
    assert_eq!(stderr(&a.success()), "");
}

#[tokio::test]
async fn a_model_that_does_not_exist_gets_a_did_you_mean_hint() {
    let server = MockServer::start().await;
    chat()
        .respond_with(error(
            404,
            json!({"error": {"message": "The model `qwen-plsu` does not exist or you do not have access to it.",
                             "type": "invalid_request_error", "code": "model_not_found"}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen(&server.uri(), dir.path()).args(["chat", "-m", "qwen-plsu", "hi"])).code(1);
    assert!(
        stderr(&a).contains("hint: did you mean `qwen-plus`?"),
        "{}",
        stderr(&a)
    );
}
