use super::*;
use crate::api::types::Completion;
use std::time::Duration;

fn turn() -> Turn {
    Turn {
        completion: Completion {
            model: "qwen-plus".into(),
            request_id: Some("r1".into()),
            text: "Hello".into(),
            finish_reason: Some("stop".into()),
            usage: Some(Usage {
                prompt_tokens: 3,
                completion_tokens: 2,
                total_tokens: 5,
                ..Default::default()
            }),
            ..Default::default()
        },
        model: "qwen-plus".into(),
        fallback_from: vec![],
        attempts: 1,
        latency: Duration::from_millis(12),
        ttft: Some(Duration::from_millis(5)),
    }
}

#[test]
fn text_mode_streams_and_ends_the_line() {
    let mut r = Renderer::new(Vec::new(), Format::Text, Thinking::Hide);
    r.event(&Event::Reasoning("hmm".into())).unwrap();
    r.event(&Event::Text("Hel".into())).unwrap();
    r.event(&Event::Text("lo".into())).unwrap();
    r.finish(&turn()).unwrap();
    assert_eq!(String::from_utf8(r.out).unwrap(), "Hello\n");
}

#[test]
fn jsonl_events_are_typed_and_versioned() {
    let mut r = Renderer::new(Vec::new(), Format::Jsonl, Thinking::Hide);
    r.event(&Event::Reasoning("hmm".into())).unwrap();
    r.event(&Event::Text("Hello".into())).unwrap();
    r.finish(&turn()).unwrap();
    let out = String::from_utf8(r.out).unwrap();
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let types: Vec<&str> = lines.iter().map(|l| l["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["reasoning", "text", "usage", "done"]);
    assert!(lines.iter().all(|l| l["v"] == 1));
    assert_eq!(lines[3]["finish_reason"], "stop");
    assert_eq!(lines[3]["request_id"], "r1");
}

#[test]
fn json_mode_prints_one_object() {
    let mut r = Renderer::new(Vec::new(), Format::Json, Thinking::Hide);
    r.event(&Event::Text("Hello".into())).unwrap();
    assert!(r.out.is_empty());
    r.finish(&turn()).unwrap();
    let v: Value = serde_json::from_slice(&r.out).unwrap();
    assert_eq!(v["text"], "Hello");
    assert_eq!(v["usage"]["total_tokens"], 5);
}
