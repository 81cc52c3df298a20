//! The fake's DashScope-native shapes: rerank answers and native generation streams.

use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use super::ID;

/// Ranks documents by the words they share with the query (a stand-in for a model), in
/// the native shape when the body has `input`, else the flat `reranks` shape.
pub(super) fn rerank_reply(body: &str) -> String {
    let body: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
    let native = body.get("input").is_some();
    let (query, docs, top_n) = if native {
        let input = &body["input"];
        (
            &input["query"],
            &input["documents"],
            &body["parameters"]["top_n"],
        )
    } else {
        (&body["query"], &body["documents"], &body["top_n"])
    };
    let words = |text: &str| -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let query = words(query.as_str().unwrap_or_default());
    let docs: Vec<&str> = docs
        .as_array()
        .map(|d| d.iter().filter_map(|d| d.as_str()).collect())
        .unwrap_or_default();
    let mut results: Vec<(usize, f64)> = docs
        .iter()
        .enumerate()
        .map(|(i, doc)| {
            let doc = words(doc);
            let shared = query.iter().filter(|w| doc.contains(w)).count();
            (i, shared as f64 / query.len().max(1) as f64)
        })
        .collect();
    results.sort_by(|a, b| b.1.total_cmp(&a.1));
    results.truncate(top_n.as_u64().map_or(docs.len(), |n| n as usize));
    let results: Vec<serde_json::Value> = results
        .iter()
        .map(|(i, s)| serde_json::json!({"index": i, "relevance_score": s}))
        .collect();
    let tokens: usize = docs.iter().map(|d| d.len() / 4 + 1).sum();
    let usage = serde_json::json!({"total_tokens": tokens});
    let reply = if native {
        serde_json::json!({"output": {"results": results}, "usage": usage, "request_id": ID})
    } else {
        serde_json::json!({"id": ID, "object": "list", "model": body["model"],
                           "results": results, "usage": usage})
    };
    reply.to_string()
}

/// One native frame (dashscope-protocol.md §4.4): `text`, and with `sources` the two web
/// sources of `search_info` that `--sources` asks for (research-wire §5).
pub(super) fn native_frame(text: &str, sources: bool, finish: &str) -> String {
    let results = if sources {
        serde_json::json!([
            {"site_name": "Example", "icon": "", "index": 1, "title": "A fake source",
             "url": "https://example.com/a"},
            {"site_name": "无", "icon": "", "index": 2, "title": "Another one",
             "url": "https://example.org/b"}
        ])
    } else {
        serde_json::json!([])
    };
    serde_json::json!({
        "output": {"choices": [{"message": {"role": "assistant", "content": text},
                                "finish_reason": finish}],
                   "search_info": {"extra_tool_info": [], "search_results": results}},
        "usage": {"input_tokens": 12, "output_tokens": 1, "total_tokens": 13},
        "request_id": "00000000-0000-0000-0000-000000000000"
    })
    .to_string()
}

/// Writes a native SSE reply: the sources (if asked for) in the first frame only, as
/// DashScope does; later frames repeat an empty list.
pub(super) async fn write_native_stream(
    socket: &mut TcpStream,
    tokens: usize,
    sources: bool,
) -> std::io::Result<()> {
    socket
        .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n")
        .await?;
    for n in 0..=tokens {
        let (text, finish) = if n == tokens {
            ("", "stop")
        } else {
            ("tok ", "null")
        };
        let data = native_frame(text, sources && n == 0, finish);
        let event = format!(
            "id:{}\nevent:result\n:HTTP_STATUS/200\ndata:{data}\n\n",
            n + 1
        );
        let chunk = format!("{:x}\r\n{event}\r\n", event.len());
        socket.write_all(chunk.as_bytes()).await?;
    }
    socket.write_all(b"0\r\n\r\n").await
}
