//! Tool definitions in TOML: `tools list`, `tools.toml` in the config dir, `tools call`, and
//! invalid definitions.

use super::*;

#[tokio::test]
async fn tools_list_shows_every_tool_and_its_source() {
    let s = weather_setup(WEATHER);
    let mcp = format!(
        "python3 {}",
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/mcp_server.py")
            .display()
    );
    let tools_file = s.path("defs/tools.toml");
    let a = run(qwen("http://127.0.0.1:9", s.dir.path())
        .args(["tools", "list", "--tools"])
        .arg(&tools_file)
        .args(["--mcp", &mcp]));
    let out = stdout(&a.success());
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("NAME"), "{out}");
    assert!(lines[1].starts_with("get_weather"), "{out}");
    assert!(lines[1].contains(tools_file.to_str().unwrap()), "{out}");
    assert!(lines[1].contains("Get the current weather"), "{out}");
    assert!(lines[2].starts_with("server.echo"), "{out}");
    assert!(lines[2].contains("mcp"), "{out}");

    let a = run(qwen("http://127.0.0.1:9", s.dir.path())
        .args(["tools", "list", "--format", "json", "--tools"])
        .arg(&tools_file));
    let v: Value = serde_json::from_str(&stdout(&a.success())).unwrap();
    let tool = &v["tools"][0];
    assert_eq!(tool["name"], "get_weather");
    assert_eq!(tool["kind"], "command");
    assert_eq!(tool["allow"], true);
    assert_eq!(tool["timeout_ms"], 10_000);
    assert_eq!(tool["source"], tools_file.to_str().unwrap());
}

#[tokio::test]
async fn tools_toml_in_the_config_dir_is_read_too() {
    let s = weather_setup(WEATHER);
    let config = s.dir.path().join("config");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::copy(s.path("defs/tools.toml"), config.join("tools.toml")).unwrap();
    // Relative commands start from the file's own directory.
    std::fs::copy(s.path("defs/weather.sh"), config.join("weather.sh")).unwrap();
    let a = run(qwen("http://127.0.0.1:9", s.dir.path()).args([
        "tools",
        "call",
        "get_weather",
        r#"{"city":"Lima"}"#,
    ]));
    a.success().stdout(r#"sunny, args {"city":"Lima"}"#);
}

#[tokio::test]
async fn tools_call_runs_one_tool_after_checking_its_arguments() {
    let s = weather_setup(UNALLOWED);
    let tools_file = s.path("defs/tools.toml");
    let call = |args: &[&str]| {
        let mut cmd = qwen("http://127.0.0.1:9", s.dir.path());
        cmd.args(["tools", "call", "--tools"])
            .arg(&tools_file)
            .args(args);
        run(&mut cmd)
    };
    call(&["get_weather", r#"{"city": "Kyiv"}"#])
        .success()
        .stdout(r#"sunny, args {"city":"Kyiv"}"#);
    let a = call(&["get_weather", r#"{"city": 1}"#]).code(2);
    let err = stderr(&a);
    assert!(
        err.starts_with("qwen: error: invalid arguments for `get_weather`"),
        "{err}"
    );
    let a = call(&["nope"]).code(2);
    assert!(stderr(&a).contains("no tool named `nope`"));
    assert_eq!(s.marker("ran").len(), 1);

    let a = call(&["--format", "json", "get_weather", r#"{"city": "Rome"}"#]);
    let v: Value = serde_json::from_str(&stdout(&a.success())).unwrap();
    assert_eq!(
        (v["status"].as_str(), v["exit_code"].as_i64()),
        (Some("ok"), Some(0))
    );
}

#[tokio::test]
async fn invalid_definitions_are_one_line_errors_naming_file_and_tool() {
    let s = Setup::new("[[tool]]\nname = \"get_weather\"\ncommand = \"./weather.sh --city\"\n");
    let tools_file = s.path("defs/tools.toml");
    let a = run(qwen("http://127.0.0.1:9", s.dir.path())
        .args(["tools", "list", "--tools"])
        .arg(&tools_file));
    let a = a.code(2);
    let err = stderr(&a);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("invalid tool `get_weather`"), "{err}");
    assert!(err.contains(tools_file.to_str().unwrap()), "{err}");
    assert!(
        err.contains(r#"command = ["./weather.sh","--city"]"#),
        "{err}"
    );

    let s = weather_setup(&format!("{WEATHER}{WEATHER}"));
    let a = run(qwen("http://127.0.0.1:9", s.dir.path())
        .args(["tools", "list", "--tools"])
        .arg(s.path("defs/tools.toml")));
    assert!(stderr(&a.code(2)).contains("duplicate tool `get_weather`"));

    let s = Setup::new("[[tool]]\nname = \"a\"\ncommand = [\"a\"]\ncolour = \"red\"\n");
    let a = run(qwen("http://127.0.0.1:9", s.dir.path())
        .args(["tools", "list", "--tools"])
        .arg(s.path("defs/tools.toml")));
    let err = stderr(&a.success());
    assert!(
        err.contains("warning: unknown key `colour` of tool `a`"),
        "{err}"
    );
}

#[test]
fn a_tool_file_is_read_within_the_config_file_limit() {
    let s = weather_setup(WEATHER);
    // Valid TOML (the tool, then 5 MiB of comments), but larger than any tool file.
    let big = s.path("defs/big.toml");
    let mut text = std::fs::read_to_string(s.path("defs/tools.toml")).unwrap();
    text.push_str(
        &"# padding padding padding padding padding padding padding pad\n".repeat(5 << 14),
    );
    std::fs::write(&big, text).unwrap();
    let a = run(qwen("http://127.0.0.1:9", s.dir.path())
        .args(["tools", "list", "--tools"])
        .arg(&big))
    .code(2);
    let err = stderr(&a);
    assert!(err.contains("big.toml` is larger than 4 MiB"), "{err}");
}
