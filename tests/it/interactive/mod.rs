//! Interactive `qwen chat` on a pseudo-terminal: turns, slash commands, Ctrl-C and Ctrl-D,
//! and what is saved and recorded afterwards; outside a terminal nothing changes.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use serde_json::{Value, json};

use crate::common::*;

mod attach;
pub mod term;

use term::{Reply, Sse, Term, reply};

const PROMPT: &str = "qwen-plus> ";

fn user(text: &str) -> Value {
    json!({"role": "user", "content": text})
}

fn assistant(text: &str) -> Value {
    json!({"role": "assistant", "content": text})
}

fn db(dir: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(dir.join("data/qwen.db")).unwrap()
}

/// Every saved message: conversation id, role, content, interrupted.
fn saved(dir: &Path) -> Vec<(i64, String, String, bool)> {
    let db = db(dir);
    let mut stmt = db
        .prepare("SELECT conversation_id, role, content, interrupted FROM messages ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// Every ledger row: command, model, error code.
fn ledger(dir: &Path) -> Vec<(String, String, Option<String>)> {
    let db = db(dir);
    let mut stmt = db
        .prepare("SELECT command, model, error_code FROM calls ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn a_two_turn_conversation_is_sent_saved_and_recorded() {
    let server = Sse::start(vec![reply(&["Hel", "lo"]), reply(&["World"])]);
    let dir = tempfile::tempdir().unwrap();
    let mut term = Term::spawn(&server.uri(), dir.path(), &["chat"]);
    term.expect("/help lists the commands");
    term.expect(PROMPT);
    term.send("hi\r");
    term.expect("Hello");
    term.expect(PROMPT);
    // A `\` at the end of a line and Alt-Enter both continue the entry.
    term.send("one\\\r");
    term.send("two\x1b\rthree\r");
    term.expect("World");
    term.expect(PROMPT);
    term.send("\x04");
    assert_eq!(term.wait().code(), Some(0), "{}", term.screen());

    let bodies = server.bodies();
    assert_eq!(bodies.len(), 2);
    assert_eq!(bodies[0]["messages"], json!([user("hi")]));
    assert_eq!(
        bodies[1]["messages"],
        json!([user("hi"), assistant("Hello"), user("one\ntwo\nthree")])
    );
    let messages = saved(dir.path());
    assert_eq!(messages.len(), 4, "{messages:?}");
    assert!(
        messages.iter().all(|m| m.0 == messages[0].0),
        "one conversation"
    );
    assert_eq!(messages[3].2, "World");
    let rows = ledger(dir.path());
    assert_eq!(rows.len(), 2);
    assert!(
        rows.iter().all(|r| r.0 == "chat" && r.2.is_none()),
        "{rows:?}"
    );

    // The history file is private and holds the entries.
    let history = dir.path().join("data/chat_history");
    let mode = std::fs::metadata(&history).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let text = std::fs::read_to_string(&history).unwrap();
    assert!(text.contains("hi") && text.contains("three"), "{text}");
}

#[test]
fn slash_commands_change_the_next_requests() {
    let server = Sse::start(vec![reply(&["ok"])]);
    let dir = tempfile::tempdir().unwrap();
    let mut term = Term::spawn(&server.uri(), dir.path(), &["chat"]);
    term.expect(PROMPT);
    term.send("/model qwen-max\r");
    term.expect("the model is now `qwen-max`");
    term.expect("qwen-max> ");
    term.send("/system Be terse.\r");
    term.expect("the system prompt is set");
    term.expect("qwen-max> ");
    term.send("/think on\r");
    term.expect("thinking is on");
    term.expect("qwen-max> ");
    term.send("hi\r");
    term.expect("ok");
    term.expect("qwen-max> ");
    for (command, answer) in [
        ("/save talk", "saved as `talk`"),
        (
            "/usage",
            "1 replies in this session: 22 input + 17 output tokens = 39",
        ),
        ("/clear", "a new conversation starts"),
        ("//etc", "ok"),
        ("/nope", "unknown command `/nope`"),
        ("/help", "/exit"),
    ] {
        term.send(&format!("{command}\r"));
        term.expect(answer);
        term.expect("qwen-max> ");
    }
    term.send("/exit\r");
    assert_eq!(term.wait().code(), Some(0), "{}", term.screen());

    let bodies = server.bodies();
    assert_eq!(bodies.len(), 2);
    assert_eq!(bodies[0]["model"], "qwen-max");
    assert_eq!(bodies[0]["enable_thinking"], true);
    assert_eq!(
        bodies[0]["messages"],
        json!([{"role": "system", "content": "Be terse."}, user("hi")])
    );
    // After `/clear`, a new conversation with the same settings; `//` sends one `/`.
    assert_eq!(
        bodies[1]["messages"],
        json!([{"role": "system", "content": "Be terse."}, user("/etc")])
    );
    let db = db(dir.path());
    let named: (String, i64) = db
        .query_row(
            "SELECT model, (SELECT count(*) FROM messages WHERE conversation_id = c.id)
             FROM conversations c WHERE name = 'talk'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(named, ("qwen-max".to_owned(), 3));
    let count: i64 = db
        .query_row("SELECT count(*) FROM conversations", [], |r| r.get(0))
        .unwrap();
    assert_eq!(count, 2);
}

#[test]
fn ctrl_c_stops_a_reply_keeps_what_arrived_and_the_next_turn_sends_it() {
    let first = sse_frames(&[Piece::Text("Partial answer\n")]);
    let server = Sse::start(vec![
        // The role chunk and one line, then nothing: the server stalls.
        Reply::Stall(first[..2].to_vec()),
        reply(&["Done"]),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let mut term = Term::spawn(&server.uri(), dir.path(), &["chat"]);
    term.expect(PROMPT);
    term.send("first\r");
    term.expect("Partial answer");
    term.send("\x03");
    term.expect("^C\r\nqwen: note: interrupted: the part shown stays in the conversation");
    term.expect(PROMPT);
    term.send("second\r");
    term.expect("Done");
    term.expect(PROMPT);
    term.send("\x04");
    assert_eq!(term.wait().code(), Some(0), "{}", term.screen());

    let bodies = server.bodies();
    assert_eq!(
        bodies[1]["messages"],
        json!([user("first"), assistant("Partial answer\n"), user("second")])
    );
    let messages = saved(dir.path());
    let shape: Vec<(&str, &str, bool)> = messages
        .iter()
        .map(|m| (m.1.as_str(), m.2.as_str(), m.3))
        .collect();
    assert_eq!(
        shape,
        [
            ("user", "first", false),
            ("assistant", "Partial answer\n", true),
            ("user", "second", false),
            ("assistant", "Done", false),
        ]
    );
    let rows = ledger(dir.path());
    let codes: Vec<Option<&str>> = rows.iter().map(|r| r.2.as_deref()).collect();
    assert_eq!(codes, [Some("interrupted"), None]);
    // `sessions show` marks it.
    let a = run(qwen("http://127.0.0.1:9", dir.path()).args(["sessions", "show", "1"])).success();
    assert!(
        stdout(&a).contains("qwen-plus (interrupted):\nPartial answer\n"),
        "{}",
        stdout(&a)
    );
}

#[test]
fn ctrl_c_clears_a_line_and_leaves_at_an_empty_prompt() {
    let server = Sse::start(vec![reply(&["ok"])]);
    let dir = tempfile::tempdir().unwrap();
    let mut term = Term::spawn(&server.uri(), dir.path(), &["chat"]);
    term.expect(PROMPT);
    term.send("never sent");
    term.expect("never sent");
    term.send("\x03");
    term.expect(PROMPT);
    // The new prompt is drawn once the editor reads again; give it a moment to be sure
    // the next Ctrl-C is a key, not a signal.
    std::thread::sleep(std::time::Duration::from_millis(200));
    term.send("\x03");
    assert_eq!(term.wait().code(), Some(0), "{}", term.screen());
    assert!(server.bodies().is_empty());
}

#[test]
fn continue_at_a_terminal_resumes_the_conversation_with_its_model() {
    let server = Sse::start(vec![reply(&["ok"])]);
    let dir = tempfile::tempdir().unwrap();
    run(qwen(&server.uri(), dir.path()).args(["chat", "-m", "qwen-max", "hi"])).success();
    let mut term = Term::spawn(&server.uri(), dir.path(), &["chat", "-c"]);
    term.expect("qwen-max> ");
    term.send("more\r");
    term.expect("ok");
    term.expect("qwen-max> ");
    term.send("\x04");
    assert_eq!(term.wait().code(), Some(0), "{}", term.screen());
    let bodies = server.bodies();
    assert_eq!(
        bodies[1]["messages"],
        json!([user("hi"), assistant("ok"), user("more")])
    );
    assert_eq!(saved(dir.path()).len(), 4);
}

#[test]
fn with_stdout_not_a_terminal_no_prompt_is_still_a_usage_error() {
    let server = Sse::start(vec![reply(&["ok"])]);
    let dir = tempfile::tempdir().unwrap();
    let mut term = Term::spawn_with(&server.uri(), dir.path(), &["chat"], |c| {
        c.stdout(std::process::Stdio::null())
    });
    term.expect("qwen: error: no prompt");
    term.expect("hint: ");
    assert_eq!(term.wait().code(), Some(2), "{}", term.screen());
    assert!(server.bodies().is_empty());
}

#[test]
fn replies_and_transcripts_are_rendered_on_a_terminal() {
    let server = Sse::start(vec![reply(&["# Plan\n\n- **one", "**\n- two\n"])]);
    let dir = tempfile::tempdir().unwrap();
    let colour = |c: pty_process::blocking::Command| c.env_remove("NO_COLOR");
    let mut term = Term::spawn_with(&server.uri(), dir.path(), &["chat"], colour);
    term.expect(PROMPT);
    term.send("plan\r");
    term.expect("\x1b[");
    term.expect("Plan");
    term.expect("two");
    term.expect(PROMPT);
    term.send("\x04");
    assert_eq!(term.wait().code(), Some(0), "{}", term.screen());
    let screen = term.screen();
    assert!(screen.contains("• \x1b[1mone\x1b[0m"), "{screen:?}");
    assert!(!screen.contains("**one**"), "{screen:?}");

    // `sessions show` renders on a terminal too, and prints the Markdown as is in a pipe.
    let mut term = Term::spawn_with(
        "http://127.0.0.1:9",
        dir.path(),
        &["sessions", "show", "1"],
        colour,
    );
    assert_eq!(term.wait().code(), Some(0), "{}", term.screen());
    let shown = term.screen();
    assert!(shown.contains("\x1b[1myou:\x1b[0m"), "{shown:?}");
    assert!(!shown.contains("**one**"), "{shown:?}");
    let a = run(qwen("http://127.0.0.1:9", dir.path()).args(["sessions", "show", "1"])).success();
    assert!(stdout(&a).contains("- **one**\n- two\n"), "{}", stdout(&a));
}

#[test]
fn render_never_prints_replies_as_they_arrive() {
    let server = Sse::start(vec![reply(&["- **one", "**\n"])]);
    let dir = tempfile::tempdir().unwrap();
    let colour = |c: pty_process::blocking::Command| c.env_remove("NO_COLOR");
    let args = ["chat", "--render", "never"];
    let mut term = Term::spawn_with(&server.uri(), dir.path(), &args, colour);
    term.expect(PROMPT);
    term.send("plan\r");
    term.expect("- **one**");
    term.expect(PROMPT);
    term.send("\x04");
    assert_eq!(term.wait().code(), Some(0), "{}", term.screen());
}

/// Ctrl-C while the spinner waits for the first token: the terminal echoes `^C` on the
/// spinner's line (the spinner leaves the cursor after its text, not past the last column,
/// where the echo would wrap to a line of its own), and clearing that line takes both away.
#[test]
fn ctrl_c_before_the_first_token_leaves_no_spinner_behind() {
    let server = Sse::start(vec![Reply::Stall(Vec::new()), reply(&["Later"])]);
    let dir = tempfile::tempdir().unwrap();
    let mut term = Term::spawn(&server.uri(), dir.path(), &["chat"]);
    term.expect(PROMPT);
    term.send("hi\r");
    term.expect("qwen-plus · ");
    term.send("\x03");
    term.expect("interrupted");
    term.expect(PROMPT);
    term.send("\x04");
    assert_eq!(term.wait().code(), Some(0), "{}", term.screen());
    let screen = term.screen();
    let spun = &screen[screen.find("qwen-plus · ").unwrap()..screen.find("interrupted").unwrap()];
    assert!(!spun.contains("   "), "the spinner pads its line: {spun:?}");
    let echo = spun.rfind("^C").expect("the terminal echoes ^C");
    assert!(
        spun[echo..].contains("\r\u{1b}[2K"),
        "the line with the spinner and ^C is not cleared: {spun:?}"
    );
}
