//! The README's exit-status table, row by row: every documented code is what `qwen` exits
//! with in that case.

use super::*;

/// The codes of the README's exit-status table, in order.
fn readme_exit_codes() -> Vec<i32> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let table = readme
        .split("| Exit | Meaning |")
        .nth(1)
        .expect("the README has the exit-status table");
    table
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            l.trim_start_matches('|')
                .split('|')
                .next()
                .unwrap()
                .trim()
                .parse()
                .unwrap_or_else(|_| panic!("not an exit code row: {l}"))
        })
        .collect()
}

/// A streamed reply that asks for the tool `noop` with no arguments.
fn noop_call_sse() -> String {
    let call = json!({"content": null, "role": "assistant", "tool_calls": [{"index": 0,
        "id": "call_1", "type": "function", "function": {"name": "noop", "arguments": "{}"}}]});
    let mut frames = vec![frame(&chunk(call, None))];
    frames.push(frame(&chunk(json!({"content": null}), Some("tool_calls"))));
    frames.push("data: [DONE]\n\n".to_owned());
    frames.concat()
}

/// The exit-status audit: every row of the README's table, with a realistic way to get it,
/// run against the real binary. A code added to the table without a trigger here fails.
#[tokio::test]
async fn every_exit_code_in_the_readme_table_is_what_qwen_exits_with() {
    let mut covered: Vec<(i32, &str)> = Vec::new();
    let mut check = |expected: i32, what: &'static str, output: std::process::Output| {
        assert_no_key(&output);
        assert_eq!(
            output.status.code(),
            Some(expected),
            "{what}: stderr: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        covered.push((expected, what));
    };
    let output = |cmd: &mut assert_cmd::Command| cmd.output().unwrap();

    // 0: success, and a closed stdout pipe (`| head`) is success too (live.rs covers it).
    let ok = MockServer::start().await;
    chat().respond_with(stream(&["ok"])).mount(&ok).await;
    let dir = tempfile::tempdir().unwrap();
    check(
        0,
        "a reply",
        output(qwen(&ok.uri(), dir.path()).args(["chat", "hi"])),
    );

    // 1: the request failed (a 400 that no retry fixes).
    let bad = MockServer::start().await;
    chat()
        .respond_with(error(
            400,
            json!({"error": {"message": "bad", "code": "invalid_parameter_error"}}),
        ))
        .mount(&bad)
        .await;
    check(
        1,
        "a 400 reply",
        output(qwen(&bad.uri(), dir.path()).args(["chat", "hi"])),
    );

    // 2: invalid command line, config file or input, each before anything is sent.
    let none = MockServer::start().await;
    chat()
        .respond_with(stream(&["ok"]))
        .expect(0)
        .mount(&none)
        .await;
    check(
        2,
        "an unknown flag",
        output(qwen(&none.uri(), dir.path()).args(["chat", "--nope", "hi"])),
    );
    check(
        2,
        "a missing --file",
        output(qwen(&none.uri(), dir.path()).args(["chat", "hi", "-f", "missing.txt"])),
    );
    check(
        2,
        "a NaN temperature",
        output(qwen(&none.uri(), dir.path()).args(["chat", "--temperature", "nan", "hi"])),
    );
    let bad_config = tempfile::tempdir().unwrap();
    write_config(bad_config.path(), "model = [\n");
    check(
        2,
        "a config file that does not parse",
        output(qwen(&none.uri(), bad_config.path()).args(["chat", "hi"])),
    );

    // 3: a batch finished with a failed item.
    let docs = dir.path().join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::write(docs.join("a.md"), "alpha").unwrap();
    check(
        3,
        "a batch item failed",
        output(qwen(&bad.uri(), dir.path()).arg("batch").arg(&docs)),
    );

    // 4: the key is rejected, or cannot be had.
    let denied = MockServer::start().await;
    chat()
        .respond_with(error(
            401,
            json!({"error": {"message": "Incorrect API key provided.", "code": "invalid_api_key"}}),
        ))
        .mount(&denied)
        .await;
    check(
        4,
        "a 401 reply",
        output(qwen(&denied.uri(), dir.path()).args(["chat", "hi"])),
    );
    let key_command = tempfile::tempdir().unwrap();
    write_config(key_command.path(), "api_key_command = [\"false\"]\n");
    check(
        4,
        "a failing api_key_command",
        output(
            qwen(&none.uri(), key_command.path())
                .env_remove("DASHSCOPE_API_KEY")
                .args(["chat", "hi"]),
        ),
    );

    // 5: throttled after every retry.
    let busy = MockServer::start().await;
    chat()
        .respond_with(error(
            429,
            json!({"error": {"message": "slow down", "code": "limit_requests"}}),
        ))
        .mount(&busy)
        .await;
    check(
        5,
        "429 after the retries",
        output(qwen(&busy.uri(), dir.path()).args(["--retries", "1", "chat", "hi"])),
    );

    // 6: the reply is not the JSON asked for.
    check(
        6,
        "--json with a prose reply",
        output(qwen(&ok.uri(), dir.path()).args(["chat", "--json", "hi"])),
    );

    // 7: over the budget (one priced call, a budget below its cost).
    let priced = tempfile::tempdir().unwrap();
    write_config(
        priced.path(),
        "[prices.\"qwen-plus\"]\ninput = 1000.0\noutput = 1000.0\n",
    );
    run(qwen(&ok.uri(), priced.path()).args(["chat", "hi"])).success();
    check(
        7,
        "usage --budget",
        output(
            qwen(&ok.uri(), priced.path()).args(["usage", "--budget", "0.001", "--since", "1d"]),
        ),
    );

    // 8: the model still calls tools after --max-steps.
    let tools = tempfile::tempdir().unwrap();
    let config = tools.path().join("config");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("tools.toml"),
        "[[tool]]\nname = \"noop\"\ndescription = \"does nothing\"\ncommand = [\"true\"]\nallow = true\n",
    )
    .unwrap();
    let looping = MockServer::start().await;
    chat()
        .respond_with(sse_response(noop_call_sse()))
        .mount(&looping)
        .await;
    check(
        8,
        "tools run past --max-steps",
        output(qwen(&looping.uri(), tools.path()).args(["tools", "run", "--max-steps", "1", "hi"])),
    );

    // 130: Ctrl-C while the reply streams.
    let hung = RawServer::start(vec![Step::Send(text_frame("Hel"))], End::Hang);
    let mut child = std_qwen(&hung.uri(), dir.path())
        .args(["chat", "hi"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut first = [0u8; 3];
    std::io::Read::read_exact(&mut out, &mut first).unwrap();
    let kill = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    wait_for(&mut child, std::time::Duration::from_secs(5));
    check(130, "Ctrl-C", child.wait_with_output().unwrap());

    let mut codes: Vec<i32> = covered.iter().map(|(code, _)| *code).collect();
    codes.dedup();
    assert_eq!(
        codes,
        readme_exit_codes(),
        "every row of the table, in order: {covered:?}"
    );
}
