//! Interactive `qwen tools run`: the editor and the confirmation question share the
//! terminal, one at a time, and each entry carries the earlier exchanges.

use serde_json::json;

use super::*;
use crate::interactive::term::{Reply, Sse, Term, reply};

#[test]
fn at_a_terminal_tools_run_asks_before_a_tool_and_keeps_the_conversation() {
    let s = weather_setup(UNALLOWED);
    let call = calls_sse(&[("c1", "get_weather", r#"{"city": "Oslo"}"#)]);
    let server = Sse::start(vec![
        Reply::Whole(vec![call]),
        reply(&["Sunny it is."]),
        reply(&["Same tomorrow."]),
    ]);
    let tools = s.path("defs/tools.toml");
    let args = ["tools", "run", "--tools", tools.to_str().unwrap()];
    let mut term = Term::spawn(&server.uri(), s.dir.path(), &args);
    term.expect("qwen-plus> ");
    term.send("Weather?\r");
    term.expect("[y]es / [n]o / [a]lways: ");
    term.send("y\r");
    term.expect("Sunny it is.");
    term.expect("qwen-plus> ");
    term.send("/save x\r");
    term.expect("`tools run` saves no conversation");
    term.expect("qwen-plus> ");
    term.send("And tomorrow?\r");
    term.expect("Same tomorrow.");
    term.expect("qwen-plus> ");
    term.send("\x04");
    assert_eq!(term.wait().code(), Some(0), "{}", term.screen());

    assert_eq!(s.marker("ran").len(), 1);
    let bodies = server.bodies();
    assert_eq!(bodies.len(), 3);
    assert_eq!(
        bodies[2]["messages"],
        json!([
            {"role": "user", "content": "Weather?"},
            {"role": "assistant", "content": "Sunny it is."},
            {"role": "user", "content": "And tomorrow?"}
        ])
    );
}

/// The MCP servers start once for the whole session, not once per entry, and a tool allowed
/// "always" is not asked about again.
#[test]
fn interactive_tools_run_keeps_its_mcp_servers_and_always_answers() {
    let s = Setup::new("");
    let marker = s.path("mcp-ran");
    let mcp = format!(
        "demo=python3 {} {} --count-starts",
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/mcp_server.py")
            .display(),
        marker.display()
    );
    let server = Sse::start(vec![
        Reply::Whole(vec![calls_sse(&[(
            "c1",
            "demo__echo",
            r#"{"text": "one"}"#,
        )])]),
        reply(&["Done one."]),
        Reply::Whole(vec![calls_sse(&[(
            "c2",
            "demo__echo",
            r#"{"text": "two"}"#,
        )])]),
        reply(&["Done two."]),
    ]);
    let args = ["tools", "run", "--mcp", &mcp];
    let mut term = Term::spawn(&server.uri(), s.dir.path(), &args);
    term.expect("qwen-plus> ");
    term.send("first\r");
    term.expect("[y]es / [n]o / [a]lways: ");
    term.send("a\r");
    term.expect("Done one.");
    term.expect("qwen-plus> ");
    term.send("second\r");
    term.expect("Done two.");
    term.expect("qwen-plus> ");
    term.send("\x04");
    assert_eq!(term.wait().code(), Some(0), "{}", term.screen());
    assert_eq!(
        s.marker("mcp-ran"),
        [r#"echo {"text": "one"}"#, r#"echo {"text": "two"}"#]
    );
    let starts = std::fs::read_to_string(s.path("mcp-ran.starts")).unwrap();
    assert_eq!(starts.lines().count(), 1, "{starts}");
}
