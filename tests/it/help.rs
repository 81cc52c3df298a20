//! Help that reads well: every command's help snapshotted (so changes show in review), the
//! environment kept out of usage lines, plain `qwen` printing help, man pages with the
//! global options.

use clap::CommandFactory;

use crate::common::*;

/// Every command path, e.g. `["tools", "run"]`, from the clap tree.
fn command_paths() -> Vec<Vec<String>> {
    fn walk(cmd: &clap::Command, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        out.push(path.clone());
        for sub in cmd.get_subcommands() {
            path.push(sub.get_name().to_owned());
            walk(sub, path, out);
            path.pop();
        }
    }
    let mut out = Vec::new();
    walk(&qwen::cli::Cli::command(), &mut Vec::new(), &mut out);
    out
}

#[test]
fn the_help_of_every_command() {
    let dir = tempfile::tempdir().unwrap();
    for path in command_paths() {
        let a = run(qwen("http://127.0.0.1:9", dir.path())
            .args(&path)
            .arg("--help")
            .env("COLUMNS", "100"));
        let help = stdout(&a.success());
        let name = if path.is_empty() {
            "qwen".to_owned()
        } else {
            format!("qwen {}", path.join(" "))
        };
        insta::assert_snapshot!(name.replace(' ', "_"), help, &name);
    }
}

#[test]
fn command_options_come_before_the_global_ones() {
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen("http://127.0.0.1:9", dir.path()).args(["chat", "--help"]));
    let help = stdout(&a.success());
    let at = |heading: &str| {
        help.find(&format!("\n{heading}:\n"))
            .unwrap_or_else(|| panic!("{heading}: {help}"))
    };
    let order = [
        "Options",
        "Prompt",
        "Model",
        "Output",
        "Conversation",
        "Cache",
        "Global options",
    ];
    for pair in order.windows(2) {
        assert!(at(pair[0]) < at(pair[1]), "{pair:?}\n{help}");
    }
    let words = help.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("[default: from config, else qwen-plus]"),
        "{help}"
    );
    assert!(words.contains("[default: from config, else 3]"), "{help}");
}

#[test]
fn plain_qwen_prints_help_even_with_the_environment_set() {
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen("http://127.0.0.1:9", dir.path())
        .env("QWEN_MODEL", "qwen-max")
        .env("QWEN_PROFILE", "work")
        .env("DASHSCOPE_REGION", "cn")
        .env("QWEN_API", "native"));
    let a = a.code(2);
    let err = stderr(&a);
    assert!(err.contains("Usage: qwen [OPTIONS] <COMMAND>"), "{err}");
    assert!(err.contains("Commands:"), "{err}");
}

#[test]
fn usage_lines_never_show_values_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let a = run(qwen("http://127.0.0.1:9", dir.path())
        .env("QWEN_MODEL", "qwen-max")
        .env("QWEN_PROFILE", "work")
        .env("DASHSCOPE_REGION", "cn")
        .args(["chat", "--list-sessions", "hi"]));
    let err = stderr(&a.code(2));
    let usage = err.lines().find(|l| l.starts_with("Usage:")).unwrap();
    assert_eq!(
        usage, "Usage: qwen chat --list-sessions [PROMPT]...",
        "{err}"
    );
    // The environment still counts where it should.
    let a = run(qwen("http://127.0.0.1:9", dir.path())
        .env("QWEN_MODEL", "qwen-max")
        .args(["chat", "--dry-run", "--format", "json", "hi"]));
    assert_eq!(jsonl(&a.success())[0]["body"]["model"], "qwen-max");
    let a = run(qwen("http://127.0.0.1:9", dir.path())
        .env("QWEN_API", "sideways")
        .args(["chat", "--dry-run", "hi"]));
    let err = stderr(&a.code(2));
    assert!(err.contains("QWEN_API=sideways"), "{err}");
}

#[test]
fn man_pages_list_the_global_options() {
    let assets = qwen::cli::assets();
    let page = |name: &str| {
        let (_, bytes) = assets
            .iter()
            .find(|(p, _)| p.ends_with(name))
            .unwrap_or_else(|| panic!("no {name}"));
        String::from_utf8(bytes.clone()).unwrap()
    };
    for name in ["qwen-chat.1", "qwen-usage.1", "qwen-batch.1", "qwen.1"] {
        let man = page(name);
        for option in ["\\-\\-retries", "\\-\\-base\\-url", "\\-\\-quiet"] {
            assert!(man.contains(option), "{name} lacks {option}");
        }
    }
}

/// Every `--format` value.
const ALL: [&str; 6] = ["text", "jsonl", "json", "table", "csv", "prometheus"];

#[test]
fn every_command_refuses_a_format_it_cannot_write_naming_the_ones_it_can() {
    let dir = tempfile::tempdir().unwrap();
    for path in command_paths() {
        if path.is_empty() || path.last().is_some_and(|p| p == "help") {
            continue;
        }
        let words: Vec<&str> = path.iter().map(String::as_str).collect();
        let accepted: Vec<String> = qwen::cli::formats::accepted(&words)
            .iter()
            .map(|f| f.name())
            .collect();
        let help = stdout(
            &run(qwen("http://127.0.0.1:9", dir.path())
                .args(&path)
                .arg("--help"))
            .success(),
        );
        if accepted.is_empty() {
            assert!(!help.contains("--format"), "{words:?}\n{help}");
            continue;
        }
        // The help lists exactly the accepted values.
        let listed = format!("[possible values: {}]", accepted.join(", "));
        let short =
            stdout(&run(qwen("http://127.0.0.1:9", dir.path()).args(&path).arg("-h")).success());
        assert!(short.contains(&listed), "{words:?}: {listed}\n{short}");
        for refused in ALL.iter().filter(|f| !accepted.iter().any(|a| a == *f)) {
            let a = run(qwen("http://127.0.0.1:9", dir.path())
                .args(&path)
                .args(["--format", refused]));
            let err = stderr(&a.code(2));
            assert!(err.contains(&listed), "{words:?} --format {refused}: {err}");
        }
    }
}

#[test]
fn a_format_given_before_the_command_is_checked_against_it_too() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&[&str], &str, &str); 5] = [
        (&["chat", "hi"], "csv", "use text, jsonl, json"),
        (&["embed", "x"], "text", "use jsonl, json"),
        (&["batch", "-"], "json", "use jsonl"),
        (
            &["usage", "log"],
            "prometheus",
            "use table, text, json, jsonl, csv",
        ),
        (
            &["completions", "bash"],
            "json",
            "`qwen completions` takes no `--format`",
        ),
    ];
    for (args, format, says) in cases {
        let a = run(qwen("http://127.0.0.1:9", dir.path())
            .args(["--format", format])
            .args(args));
        let err = stderr(&a.code(2));
        assert!(err.contains(says), "{args:?} {format}: {err}");
        assert!(err.starts_with("qwen: error: "), "{err}");
    }
}
