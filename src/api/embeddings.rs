//! Embeddings over both protocols: compat `POST /embeddings` and the native text-embedding
//! service (dashscope-protocol.md §7.1). One request embeds a group of texts; grouping,
//! concurrency and retries are `commands/embed.rs`'s business.

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::types::Usage;
use super::{ApiError, Client, Endpoint, Prepared, Protocol, compat};

/// Path of compat embeddings, relative to the compat base URL.
pub const COMPAT_PATH: &str = "/embeddings";

/// Path of native text embedding, relative to the native root.
pub const NATIVE_PATH: &str = "/services/embeddings/text-embedding/text-embedding";

/// Texts per request at most: "≤ 10 inputs per request" (dashscope-protocol.md §7.1, from the
/// reseller docs of text-embedding-v4; older docs said 6 rows for v3).
pub const MAX_INPUTS_PER_REQUEST: usize = 10;

/// Tokens per text at most: "≤ 8,192 tokens each" (§7.1, text-embedding-v4; unverified for v3).
pub const MAX_TOKENS_PER_INPUT: u64 = 8_192;

/// One embeddings request.
#[derive(Debug, Clone, PartialEq)]
pub struct EmbedRequest {
    /// The model, e.g. `text-embedding-v4`.
    pub model: String,
    /// The texts, at most [`MAX_INPUTS_PER_REQUEST`].
    pub texts: Vec<String>,
    /// Output dimensions, where the model offers a choice.
    pub dimensions: Option<u32>,
}

/// The vectors of one request, in the order of its texts.
#[derive(Debug, Clone, PartialEq)]
pub struct Embeddings {
    /// One vector per text.
    pub vectors: Vec<Vec<f64>>,
    /// Token usage of the request (embeddings have input tokens only).
    pub usage: Option<Usage>,
    /// The request id, if the server gave one.
    pub request_id: Option<String>,
}

/// Builds an embeddings request for `endpoint` without sending it.
pub fn prepare(endpoint: &Endpoint, req: &EmbedRequest) -> Prepared {
    let mut headers = vec![("Content-Type".to_owned(), "application/json".to_owned())];
    if let Some(ws) = &endpoint.workspace {
        headers.push(("X-DashScope-WorkSpace".to_owned(), ws.clone()));
    }
    let (path, body) = match endpoint.protocol {
        Protocol::Compat => {
            let mut body = json!({
                "model": req.model, "input": req.texts, "encoding_format": "float",
            });
            if let Some(d) = req.dimensions {
                body["dimensions"] = json!(d);
            }
            (COMPAT_PATH, body)
        }
        Protocol::Native => {
            let mut parameters = Map::new();
            if let Some(d) = req.dimensions {
                parameters.insert("dimension".into(), json!(d));
            }
            let body = json!({
                "model": req.model, "input": {"texts": req.texts}, "parameters": parameters,
            });
            (NATIVE_PATH, body)
        }
    };
    Prepared {
        url: format!("{}{path}", endpoint.base_url),
        headers,
        body,
        payloads: Vec::new(),
    }
}

/// Sends one embeddings request and reads its vectors.
pub async fn embed(client: &Client, req: &EmbedRequest) -> Result<Embeddings, ApiError> {
    let prepared = prepare(client.endpoint(), req);
    let response = client.send(&prepared).await?;
    let header_id = super::request_id_header(response.headers());
    let body = super::error::read_whole(response, client.endpoint().max_event_size).await?;
    let body = String::from_utf8_lossy(&body);
    let mut out = parse(client.endpoint().protocol, &body, req.texts.len())?;
    out.request_id = header_id.or(out.request_id);
    Ok(out)
}

#[derive(Deserialize)]
struct Body {
    /// Compat.
    #[serde(default)]
    data: Option<Vec<Item>>,
    /// Native.
    #[serde(default)]
    output: Option<Output>,
    #[serde(default)]
    usage: Option<WireUsage>,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    request_id: Option<String>,
    #[serde(default)]
    error: Option<Value>,
    #[serde(default)]
    code: Option<Value>,
}

#[derive(Deserialize)]
struct Output {
    #[serde(default)]
    embeddings: Vec<Item>,
}

#[derive(Deserialize)]
struct Item {
    #[serde(default, alias = "text_index")]
    index: Option<usize>,
    embedding: Value,
}

#[derive(Deserialize)]
struct WireUsage {
    #[serde(default)]
    prompt_tokens: Option<u64>,
    #[serde(default)]
    total_tokens: Option<u64>,
}

/// Parses an embeddings response of either protocol; `expected` is the number of texts sent.
pub fn parse(protocol: Protocol, body: &str, expected: usize) -> Result<Embeddings, ApiError> {
    let malformed = |why: String| {
        ApiError::Stream(format!(
            "malformed embeddings response ({why}): {}",
            compat::snippet(body)
        ))
    };
    let parsed: Body = serde_json::from_str(body).map_err(|e| malformed(e.to_string()))?;
    if let Some(err) =
        super::error::error_in_body(parsed.error.as_ref(), parsed.code.as_ref(), body)
    {
        return Err(err);
    }
    let items = match protocol {
        Protocol::Compat => parsed.data,
        Protocol::Native => parsed.output.map(|o| o.embeddings),
    }
    .ok_or_else(|| malformed("no embeddings".into()))?;
    let mut vectors: Vec<Option<Vec<f64>>> = vec![None; expected];
    for (position, item) in items.into_iter().enumerate() {
        let index = item.index.unwrap_or(position);
        let slot = vectors
            .get_mut(index)
            .ok_or_else(|| malformed(format!("index {index} for {expected} texts")))?;
        *slot = Some(vector(&item.embedding).map_err(malformed)?);
    }
    let vectors = vectors
        .into_iter()
        .enumerate()
        .map(|(i, v)| v.ok_or_else(|| malformed(format!("no vector for text {i}"))))
        .collect::<Result<_, _>>()?;
    let usage = parsed.usage.map(|u| {
        let prompt = u.prompt_tokens.or(u.total_tokens).unwrap_or(0);
        Usage {
            prompt_tokens: prompt,
            total_tokens: u.total_tokens.unwrap_or(prompt),
            ..Usage::default()
        }
    });
    Ok(Embeddings {
        vectors,
        usage,
        request_id: parsed.request_id.or(parsed.id).map(crate::secret::scrub),
    })
}

/// A vector as a JSON array of numbers, or as base64 of little-endian `f32`s (what OpenAI's
/// `encoding_format: "base64"` returns, and what llama.cpp's capture holds).
fn vector(value: &Value) -> Result<Vec<f64>, String> {
    match value {
        Value::Array(items) => items
            .iter()
            .map(|v| v.as_f64().ok_or_else(|| format!("`{v}` is not a number")))
            .collect(),
        Value::String(text) => {
            let bytes = base64(text).ok_or("the vector is neither numbers nor base64")?;
            if bytes.len() % 4 != 0 {
                return Err("the base64 vector is not a whole number of f32s".into());
            }
            Ok(bytes
                .chunks_exact(4)
                .map(|b| {
                    let x = f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
                    // Through the f32's shortest text, so 0.1f32 prints as 0.1, not 0.100000001.
                    x.to_string().parse().unwrap_or(f64::from(x))
                })
                .collect())
        }
        other => Err(format!("`{other}` is not a vector")),
    }
}

/// Decodes standard base64 (padding optional); `None` on any other character.
fn base64(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.trim_end_matches('=').bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(protocol: Protocol) -> Endpoint {
        Endpoint {
            base_url: "http://127.0.0.1:1/v1".into(),
            key: None,
            workspace: None,
            protocol,
            allow_insecure_http: false,
            max_event_size: crate::api::sse::DEFAULT_MAX_EVENT_SIZE,
            routes: None,
        }
    }

    #[test]
    fn request_bodies_for_both_protocols() {
        let req = EmbedRequest {
            model: "text-embedding-v4".into(),
            texts: vec!["a".into(), "b".into()],
            dimensions: Some(512),
        };
        let p = prepare(&endpoint(Protocol::Compat), &req);
        assert_eq!(p.url, "http://127.0.0.1:1/v1/embeddings");
        assert_eq!(
            p.body,
            json!({"model": "text-embedding-v4", "input": ["a", "b"],
                   "encoding_format": "float", "dimensions": 512})
        );
        let p = prepare(&endpoint(Protocol::Native), &req);
        assert!(p.url.ends_with(NATIVE_PATH));
        assert_eq!(
            p.body,
            json!({"model": "text-embedding-v4", "input": {"texts": ["a", "b"]},
                   "parameters": {"dimension": 512}})
        );
    }

    #[test]
    fn compat_response_in_index_order() {
        let body = r#"{"data":[{"embedding":[0.5,-1],"index":1,"object":"embedding"},
            {"embedding":[0.0123,-0.0456],"index":0,"object":"embedding"}],
            "model":"text-embedding-v4","object":"list",
            "usage":{"prompt_tokens":12,"total_tokens":12},"id":"9a7c"}"#;
        let e = parse(Protocol::Compat, body, 2).unwrap();
        assert_eq!(e.vectors, vec![vec![0.0123, -0.0456], vec![0.5, -1.0]]);
        assert_eq!(e.usage.unwrap().prompt_tokens, 12);
        assert_eq!(e.request_id.as_deref(), Some("9a7c"));
        assert!(parse(Protocol::Compat, body, 3).is_err());
    }

    #[test]
    fn native_response_and_errors() {
        let body = r#"{"output":{"embeddings":[{"text_index":0,"embedding":[1.5]}]},
            "usage":{"total_tokens":7},"request_id":"r-1"}"#;
        let e = parse(Protocol::Native, body, 1).unwrap();
        assert_eq!(e.vectors, vec![vec![1.5]]);
        assert_eq!(e.usage.unwrap().prompt_tokens, 7);
        assert_eq!(e.request_id.as_deref(), Some("r-1"));
        let err = parse(
            Protocol::Native,
            r#"{"code":"Throttling.RateQuota","message":"slow down","request_id":"x"}"#,
            1,
        )
        .unwrap_err();
        assert_eq!(err.status(), Some(429));
        assert!(err.is_retryable());
    }

    #[test]
    fn llama_cpp_base64_capture_decodes() {
        let body = include_str!("../../tests/fixtures/llama-embeddings.json");
        let e = parse(Protocol::Compat, body, 1).unwrap();
        assert_eq!(e.vectors[0].len(), 640, "gemma-3-270m has 640 dimensions");
        assert!(e.vectors[0].iter().all(|x| x.is_finite() && x.abs() < 1.0));
        assert_eq!(e.usage.unwrap().prompt_tokens, 2);
    }

    #[test]
    fn base64_decoding() {
        assert_eq!(base64("aGk=").unwrap(), b"hi");
        assert_eq!(base64("aGk").unwrap(), b"hi");
        assert!(base64("a*b").is_none());
        let one = base64("zczMPQ==").unwrap(); // 0.1f32, little-endian
        assert_eq!(vector(&json!("zczMPQ==")).unwrap(), vec![0.1]);
        assert_eq!(one.len(), 4);
    }
}
