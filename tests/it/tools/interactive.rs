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
