//! MCP servers: their tools under model-safe names, from `--mcp` and config.toml, and the
//! tools that need tasks.

use super::*;

#[tokio::test]
async fn an_mcp_server_exposes_its_tools_under_its_name() {
    let s = Setup::new("");
    let marker = s.path("mcp-ran");
    let mcp = format!(
        "demo=python3 {} {}",
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/mcp_server.py")
            .display(),
        marker.display()
    );
    let server = model(vec![
        calls_sse(&[
            ("c1", "demo__echo", r#"{"text": "hello"}"#),
            ("c2", "demo__fail", "{}"),
            ("c3", "demo__add", r#"{"a": "x"}"#),
        ]),
        sse(&["ok"]),
    ])
    .await;
    let a = run(s.qwen(&server).args([
        "--mcp", &mcp, "--allow", "demo.*", "--format", "jsonl", "go",
    ]));
    let events = jsonl(&a.success());
    assert_eq!(s.marker("mcp-ran"), [r#"echo {"text": "hello"}"#]);
    let tools = &bodies(&server).await[0]["tools"];
    let names: Vec<&str> = tools
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["function"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["demo__echo", "demo__add", "demo__fail"]);
    assert_eq!(
        tools[1]["function"]["parameters"]["required"],
        json!(["a", "b"])
    );
    let second = messages(&server, 1).await;
    assert_eq!(second[2]["content"], "hello");
    assert_eq!(
        second[3]["content"],
        "error: `demo.fail` reported an error\noutput:\nit broke"
    );
    assert!(
        second[4]["content"]
            .as_str()
            .unwrap()
            .contains("invalid arguments")
    );
    let statuses: Vec<&str> = events
        .iter()
        .filter(|e| e["type"] == "tool_result")
        .map(|e| e["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses.len(), 3);
    assert!(statuses.contains(&"ok") && statuses.contains(&"error"));
}

#[tokio::test]
async fn mcp_servers_from_config_toml_are_started_too() {
    let s = Setup::new("");
    let marker = s.path("mcp-ran");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mcp_server.py");
    write_config(
        s.dir.path(),
        &format!(
            "[[mcp]]\nname = \"cfg\"\ncommand = [\"python3\", {:?}, {:?}]\nallow = true\nfavourite = 1\n",
            fixture.display().to_string(),
            marker.display().to_string()
        ),
    );
    let a = run(qwen("http://127.0.0.1:9", s.dir.path()).args([
        "tools",
        "call",
        "cfg.echo",
        r#"{"text": "from config"}"#,
    ]));
    let a = a.success().stdout("from config\n");
    assert!(
        stderr(&a).contains("unknown key `mcp[0].favourite`"),
        "{}",
        stderr(&a)
    );
    assert_eq!(s.marker("mcp-ran"), [r#"echo {"text": "from config"}"#]);
    let a =
        run(qwen("http://127.0.0.1:9", s.dir.path()).args(["tools", "list", "--format", "jsonl"]));
    let rows = jsonl(&a.success());
    assert_eq!(rows.len(), 3);
    assert!(
        rows.iter()
            .all(|r| r["allow"] == true && r["kind"] == "mcp")
    );
}

#[tokio::test]
async fn mcp_tools_with_names_no_model_api_takes_are_skipped_with_a_warning() {
    let s = Setup::new("");
    let mcp = format!(
        "demo=python3 {} --bad-names",
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/mcp_server.py")
            .display()
    );
    let a = run(qwen("http://127.0.0.1:9", s.dir.path())
        .args(["tools", "list", "--format", "jsonl", "--mcp", &mcp]));
    let a = a.success();
    let names: Vec<String> = jsonl(&a)
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        names,
        ["demo.echo", "demo.add", "demo.fail", "demo.issues.list"],
        "a dotted MCP name is fine"
    );
    let err = stderr(&a);
    let warnings: Vec<&str> = err.lines().filter(|l| l.contains("skipped")).collect();
    assert_eq!(warnings.len(), 4, "{err}");
    assert!(
        warnings[0].starts_with(
            "qwen: warning: MCP tool `demo.bad name with spaces` skipped: its name must be letters"
        ),
        "{err}"
    );
    assert!(warnings[1].contains(r"`demo.evil\u{1b}[2Jname`"), "{err}");
    assert!(warnings[2].contains("76 characters"), "{err}");
    assert!(
        warnings[3].contains("`demo.issues_list` skipped: the model would call it"),
        "{err}"
    );
    assert!(
        !err.contains('\x1b'),
        "no raw escape reaches the terminal: {err:?}"
    );

    let a = run(qwen("http://127.0.0.1:9", s.dir.path()).args([
        "tools",
        "call",
        "--mcp",
        &mcp,
        "demo.issues.list",
        "{}",
    ]));
    a.success().stdout("no issues\n");
}

fn mcp_fixture(flags: &str) -> String {
    format!(
        "demo=python3 {} {flags}",
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/mcp_server.py")
            .display()
    )
}

#[tokio::test]
async fn mcp_tools_are_offered_under_model_safe_names_and_mapped_back() {
    let s = Setup::new("");
    let marker = s.path("mcp-ran");
    let mcp = mcp_fixture(&format!("{} --bad-names", marker.display()));
    let server = model(vec![
        calls_sse(&[
            ("c1", "demo__echo", r#"{"text": "hello"}"#),
            ("c2", "demo__issues_list", "{}"),
        ]),
        sse(&["ok"]),
    ])
    .await;
    let a = run(s
        .qwen(&server)
        .args([
            "--mcp",
            &mcp,
            "--allow",
            "demo.echo",
            "--allow",
            "demo.issues.list",
        ])
        .args(["--format", "jsonl", "go"]));
    let a = a.success();
    let events = jsonl(&a);
    let names: Vec<String> = bodies(&server).await[0]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["function"]["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        names,
        ["demo__echo", "demo__add", "demo__fail", "demo__issues_list"]
    );
    let valid = |n: &str| {
        (1..=64).contains(&n.len())
            && n.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    assert!(names.iter().all(|n| valid(n)), "{names:?}");
    let start = &events[0];
    assert_eq!(start["tools"][0], "demo__echo");
    assert_eq!(s.marker("mcp-ran"), [r#"echo {"text": "hello"}"#]);
    let second = messages(&server, 1).await;
    assert_eq!(second[2]["content"], "hello");
    assert_eq!(second[3]["content"], "no issues");

    // The colliding name is skipped with a warning naming both tools.
    let err = stderr(&a);
    assert!(
        err.contains(
            "MCP tool `demo.issues_list` skipped: the model would call it `demo__issues_list`, as `demo.issues.list`"
        ),
        "{err}"
    );
    assert!(
        err.contains("MCP tool `demo.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx` skipped: its name for the model"),
        "{err}"
    );
}

#[tokio::test]
async fn tools_call_takes_either_name_and_ends_mcp_text_with_a_newline() {
    let s = Setup::new("");
    let mcp = mcp_fixture("--bad-names");
    for name in ["demo.issues.list", "demo__issues_list"] {
        let a = run(qwen("http://127.0.0.1:9", s.dir.path())
            .args(["tools", "call", "--mcp", &mcp, name, "{}"]));
        a.success().stdout("no issues\n");
    }
    let a = run(qwen("http://127.0.0.1:9", s.dir.path())
        .args(["tools", "list", "--format", "jsonl", "--mcp", &mcp]));
    let rows = jsonl(&a.success());
    assert_eq!(rows[3]["name"], "demo.issues.list");
    assert_eq!(rows[3]["function"], "demo__issues_list");
}

#[tokio::test]
async fn mcp_tools_that_need_tasks_are_listed_but_not_offered() {
    let s = Setup::new("");
    let mcp = mcp_fixture("--task-tools");
    let server = model(vec![sse(&["ok"])]).await;
    let a = run(s
        .qwen(&server)
        .args(["--mcp", &mcp, "--allow", "demo.*", "go"]));
    let err = stderr(&a.success());
    let names: Vec<String> = bodies(&server).await[0]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["function"]["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        names,
        ["demo__echo", "demo__add", "demo__fail", "demo__maybe_task"],
        "a tool that must run as an MCP task is not offered"
    );
    assert!(
        err.contains(
            "note: MCP tool `demo.research` is not offered to the model: it must run as an MCP task"
        ),
        "{err}"
    );

    let a = run(qwen("http://127.0.0.1:9", s.dir.path())
        .args(["tools", "list", "--format", "jsonl", "--mcp", &mcp]));
    let rows = jsonl(&a.success());
    let research = rows.iter().find(|r| r["name"] == "demo.research").unwrap();
    assert_eq!(research["task_support"], "required");
    assert_eq!(research["offered"], false);
    let maybe = rows
        .iter()
        .find(|r| r["name"] == "demo.maybe_task")
        .unwrap();
    assert_eq!(maybe["offered"], true);
    let a = run(qwen("http://127.0.0.1:9", s.dir.path()).args(["tools", "list", "--mcp", &mcp]));
    let out = stdout(&a.success());
    let line = out
        .lines()
        .find(|l| l.starts_with("demo.research"))
        .unwrap();
    assert!(line.contains("mcp (task only)"), "{out}");

    let a = run(qwen("http://127.0.0.1:9", s.dir.path()).args([
        "tools",
        "call",
        "--mcp",
        &mcp,
        "demo.research",
        "{}",
    ]));
    let err = stderr(&a.code(2));
    assert!(
        err.contains("`demo.research` must run as an MCP task, which `qwen` does not support"),
        "{err}"
    );
}
