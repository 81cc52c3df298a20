//! Web search: its parameters and the sources of a searched reply.

use super::*;

/// research-wire §5: sources come once, in the first frame (with or without text); later
/// frames repeat `search_info` with an empty list, which must not clear them.
#[test]
fn sources_come_from_the_first_frame_before_its_text() {
    let first = r#"{"output":{"choices":[{"message":{"content":"According","role":"assistant"},"finish_reason":"null"}],"search_info":{"search_results":[{"site_name":"百家号","icon":"https://baijiahao.baidu.com/favicon.ico","index":1,"title":"A \u001b[31mtitle","url":"https://baijiahao.baidu.com/s?id=1"},{"site_name":"无","icon":"","index":6,"title":"B","url":"http://m.tqw5.com/b"}]}},"usage":{},"request_id":"785ed962"}"#;
    let later = r#"{"output":{"choices":[{"message":{"content":" to","role":"assistant"},"finish_reason":"null"}],"search_info":{"extra_tool_info":[],"search_results":[]}},"usage":{"total_tokens":2941,"output_tokens":1,"input_tokens":2940,"plugins":{"search":{"count":1}}},"request_id":"785ed962"}"#;
    let mut events = Vec::new();
    chunk_events(first, &mut events).unwrap();
    let at = |e: &Vec<Event>, f: fn(&Event) -> bool| e.iter().position(f).unwrap();
    assert!(
        at(&events, |e| matches!(e, Event::Sources(_)))
            < at(&events, |e| matches!(e, Event::Text(_)))
    );
    let mut later_events = Vec::new();
    chunk_events(later, &mut later_events).unwrap();
    assert!(!later_events.iter().any(|e| matches!(e, Event::Sources(_))));
    let mut c = Completion::default();
    let mut partial = Vec::new();
    for e in events.iter().chain(&later_events) {
        c.absorb(e, &mut partial);
    }
    assert_eq!(c.text, "According to");
    assert_eq!(c.sources.len(), 2);
    assert_eq!(c.sources[1].index, 6);
    assert_eq!(c.sources[1].site, "无");
    assert_eq!(c.sources[0].url, "https://baijiahao.baidu.com/s?id=1");
}

#[test]
fn search_options_go_in_parameters() {
    let req = ChatRequest {
        model: "qwen-plus".into(),
        messages: vec![Message::new(Role::User, "news?")],
        params: Params {
            enable_search: Some(true),
            search_options: Some(crate::api::types::SearchOptions {
                forced_search: Some(true),
                search_strategy: Some("max".into()),
                enable_source: true,
                enable_citation: true,
                citation_format: Some("[<number>]".into()),
            }),
            ..Params::default()
        },
        tools: Vec::new(),
        stream: true,
        prompt: None,
    };
    let body = generation_body(&req);
    assert_eq!(body["parameters"]["enable_search"], true);
    assert_eq!(
        body["parameters"]["search_options"],
        json!({"forced_search": true, "search_strategy": "max", "enable_source": true,
               "enable_citation": true, "citation_format": "[<number>]"})
    );
}
