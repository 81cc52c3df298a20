//! `/attach` in interactive chat: files, folders and URLs go with the next prompt, as
//! `--attach` sends them; a model chosen for the media stays for the conversation.

use serde_json::json;

use super::term::{Term, reply};
use super::{PROMPT, Sse};
use crate::attach::png;

#[test]
fn attach_sends_files_with_the_next_prompt_only() {
    let server = Sse::start(vec![reply(&["A cat."]), reply(&["Yes."])]);
    let dir = tempfile::tempdir().unwrap();
    let image = dir.path().join("my cat.png");
    std::fs::write(&image, png(300)).unwrap();
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "fluffy\n").unwrap();
    let mut term = Term::spawn(&server.uri(), dir.path(), &["chat"]);
    term.expect(PROMPT);
    term.send("/attach\r");
    term.expect("nothing attached");
    term.expect(PROMPT);
    term.send(&format!(
        "/attach {}\r",
        dir.path().join("missing.png").display()
    ));
    term.expect("cannot read");
    term.expect(PROMPT);
    // A quoted path with a space, and a text file, which joins the prompt as `--file` does.
    term.send(&format!("/attach \"{}\"\r", image.display()));
    term.expect("(image/png, 300 bytes) goes with the next prompt");
    term.expect(PROMPT);
    term.send(&format!("/attach {}\r", notes.display()));
    term.expect("(text, 7 bytes) goes with the next prompt");
    term.expect(PROMPT);
    term.send("/attach\r");
    term.expect("with the next prompt: ");
    term.expect(PROMPT);
    term.send("What is this?\r");
    // No `-m`: the media picked the vision model, which the conversation keeps.
    term.expect("A cat.");
    term.expect("qwen3-vl-plus> ");
    term.send("Sure?\r");
    term.expect("Yes.");
    term.expect("qwen3-vl-plus> ");
    term.send("/attach https://example.com/a.png\r");
    term.expect("(a URL, passed as it is) goes with the next prompt");
    term.send("/detach\r");
    term.expect("no attachments go with the next prompt");
    term.expect("qwen3-vl-plus> ");
    term.send("\x04");
    assert_eq!(term.wait().code(), Some(0), "{}", term.screen());

    let bodies = server.bodies();
    assert_eq!(bodies.len(), 2);
    assert_eq!(bodies[0]["model"], "qwen3-vl-plus");
    let content = &bodies[0]["messages"][0]["content"];
    assert_eq!(content[0]["type"], "text");
    let text = content[0]["text"].as_str().unwrap();
    assert!(
        text.starts_with("What is this?") && text.contains("fluffy"),
        "{text}"
    );
    assert_eq!(content[1]["type"], "image_url");
    let url = content[1]["image_url"]["url"].as_str().unwrap();
    assert!(url.starts_with("data:image/png;base64,"), "{url}");
    assert_eq!(content.as_array().unwrap().len(), 2);
    // The next prompt goes without them.
    assert_eq!(bodies[1]["model"], "qwen3-vl-plus");
    let last = bodies[1]["messages"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last, json!({"role": "user", "content": "Sure?"}));
}

#[test]
fn a_model_chosen_with_slash_model_is_not_switched_by_media() {
    let server = Sse::start(vec![reply(&["ok"])]);
    let dir = tempfile::tempdir().unwrap();
    let image = dir.path().join("a.png");
    std::fs::write(&image, png(100)).unwrap();
    let mut term = Term::spawn(&server.uri(), dir.path(), &["chat"]);
    term.expect(PROMPT);
    term.send("/model my-local-vlm\r");
    term.expect("my-local-vlm> ");
    term.send(&format!("/attach {}\r", image.display()));
    term.expect("goes with the next prompt");
    term.expect("my-local-vlm> ");
    term.send("describe\r");
    term.expect("ok");
    term.expect("my-local-vlm> ");
    term.send("\x04");
    assert_eq!(term.wait().code(), Some(0), "{}", term.screen());
    assert_eq!(server.bodies()[0]["model"], "my-local-vlm");
}
