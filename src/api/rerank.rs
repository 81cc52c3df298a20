//! Rerank over its two routes (research-wire §1): DashScope's native text-rerank service and
//! the OpenAI-style flat `reranks` route. One request ranks one chunk of documents against a
//! query; chunking, concurrency and retries are `crate::rerank`'s business.

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::endpoints::{self, Region};
use super::types::Usage;
use super::{ApiError, Client, Endpoint, Prepared, Protocol, compat};

/// Path of the native text-rerank service, relative to the native root (`…/api/v1`).
pub const NATIVE_PATH: &str = "/services/rerank/text-rerank/text-rerank";

/// Which wire shape a rerank request takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// The native service under this native root: `{model, input: {query, documents},
    /// parameters: {top_n, return_documents, instruct}}`.
    Native(String),
    /// A flat `{model, query, documents, top_n, instruct}` body POSTed to this full URL
    /// (DashScope's `…/compatible-api/v1/reranks`, or a local server's `…/rerank`).
    Flat(String),
}

impl Route {
    /// Returns the URL the request goes to.
    pub fn url(&self) -> String {
        match self {
            Route::Native(root) => format!("{root}{NATIVE_PATH}"),
            Route::Flat(url) => url.clone(),
        }
    }
}

/// Path of DashScope's OpenAI-style rerank route, relative to the host (research-wire §1.2:
/// `compatible-api`, not `compatible-mode`).
pub const COMPATIBLE_API_PATH: &str = "/compatible-api/v1/reranks";

/// Chooses where a rerank request goes for `endpoint`:
///
/// - `--api native`: the native service under the native root.
/// - A DashScope compat base URL (`…/compatible-mode/v1`): the flat `compatible-api` route
///   on the same host, except in the regions whose documentation has no such route (US,
///   Hong Kong), which go to the native service under `native_root`.
/// - Any other compat base URL (a local server): `{base}/rerank`, the Jina/Cohere-style
///   route that vLLM and llama.cpp serve with the same flat body.
pub fn route(endpoint: &Endpoint, native_root: Option<String>) -> Route {
    let base = endpoint.base_url.trim_end_matches('/');
    if endpoint.protocol == Protocol::Native {
        return Route::Native(base.to_owned());
    }
    let Some(host_root) = base.strip_suffix(endpoints::COMPAT_SUFFIX) else {
        return Route::Flat(format!("{base}/rerank"));
    };
    match endpoints::region_of(base) {
        Some(Region::Us | Region::Hk) => Route::Native(
            native_root.unwrap_or_else(|| format!("{host_root}{}", endpoints::NATIVE_SUFFIX)),
        ),
        _ => Route::Flat(format!("{host_root}{COMPATIBLE_API_PATH}")),
    }
}

/// One rerank request.
#[derive(Debug, Clone, PartialEq)]
pub struct RerankRequest {
    /// The model, e.g. `qwen3-rerank`.
    pub model: String,
    /// What the documents are ranked against.
    pub query: String,
    /// The documents of this request.
    pub documents: Vec<String>,
    /// Return only the best N.
    pub top_n: Option<usize>,
    /// The task instruction (qwen3-rerank).
    pub instruct: Option<String>,
}

/// One ranked document.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ranked {
    /// Its position in the request's `documents`.
    pub index: usize,
    /// Relevance in [0, 1]; comparable only within one request.
    pub score: f64,
}

/// The answer to one request.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranking {
    /// The documents returned, best first.
    pub results: Vec<Ranked>,
    /// Token usage (rerank reports only a total, counted as input).
    pub usage: Option<Usage>,
    /// The request id, if the server gave one.
    pub request_id: Option<String>,
}

/// Builds a rerank request without sending it.
pub fn prepare(endpoint: &Endpoint, route: &Route, req: &RerankRequest) -> Prepared {
    let mut headers = vec![("Content-Type".to_owned(), "application/json".to_owned())];
    if let Some(ws) = &endpoint.workspace {
        headers.push(("X-DashScope-WorkSpace".to_owned(), ws.clone()));
    }
    let body = match route {
        Route::Native(_) => {
            let mut parameters = Map::new();
            if let Some(n) = req.top_n {
                parameters.insert("top_n".into(), json!(n));
            }
            // The text is ours already; the server need not send it back.
            parameters.insert("return_documents".into(), json!(false));
            if let Some(instruct) = &req.instruct {
                parameters.insert("instruct".into(), json!(instruct));
            }
            json!({
                "model": req.model,
                "input": {"query": req.query, "documents": req.documents},
                "parameters": parameters,
            })
        }
        Route::Flat(_) => {
            let mut body = json!({
                "model": req.model, "query": req.query, "documents": req.documents,
            });
            if let Some(n) = req.top_n {
                body["top_n"] = json!(n);
            }
            if let Some(instruct) = &req.instruct {
                body["instruct"] = json!(instruct);
            }
            body
        }
    };
    Prepared {
        url: route.url(),
        headers,
        body,
        payloads: Vec::new(),
    }
}

/// Sends one rerank request and reads its ranking.
pub async fn rerank(
    client: &Client,
    route: &Route,
    req: &RerankRequest,
) -> Result<Ranking, ApiError> {
    let prepared = prepare(client.endpoint(), route, req);
    let response = client.send(&prepared).await?;
    let header_id = super::request_id_header(response.headers());
    let body = response.text().await.map_err(ApiError::Body)?;
    let mut out = parse(&body, req.documents.len())?;
    out.request_id = header_id.or(out.request_id);
    Ok(out)
}

#[derive(Deserialize)]
struct Body {
    /// Native.
    #[serde(default)]
    output: Option<Output>,
    /// Flat.
    #[serde(default)]
    results: Option<Vec<Item>>,
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
    results: Vec<Item>,
}

#[derive(Deserialize)]
struct Item {
    index: usize,
    relevance_score: f64,
}

#[derive(Deserialize)]
struct WireUsage {
    #[serde(default)]
    total_tokens: Option<u64>,
    #[serde(default)]
    prompt_tokens: Option<u64>,
}

/// Parses a rerank response of either route; `sent` is the number of documents sent.
pub fn parse(body: &str, sent: usize) -> Result<Ranking, ApiError> {
    let malformed = |why: String| {
        ApiError::Stream(format!(
            "malformed rerank response ({why}): {}",
            compat::snippet(body)
        ))
    };
    let parsed: Body = serde_json::from_str(body).map_err(|e| malformed(e.to_string()))?;
    if let Some(err) =
        super::error::error_in_body(parsed.error.as_ref(), parsed.code.as_ref(), body)
    {
        return Err(err);
    }
    let items = parsed
        .output
        .map(|o| o.results)
        .or(parsed.results)
        .ok_or_else(|| malformed("no results".into()))?;
    let mut results = Vec::with_capacity(items.len());
    for item in items {
        if item.index >= sent {
            return Err(malformed(format!(
                "index {} for {sent} documents",
                item.index
            )));
        }
        if !item.relevance_score.is_finite() {
            return Err(malformed(format!("score of document {}", item.index)));
        }
        results.push(Ranked {
            index: item.index,
            score: item.relevance_score,
        });
    }
    // Documented as sorted; sorted again so that nothing later depends on it.
    results.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.index.cmp(&b.index)));
    let usage = parsed.usage.map(|u| {
        let total = u.total_tokens.or(u.prompt_tokens).unwrap_or(0);
        Usage {
            prompt_tokens: total,
            total_tokens: total,
            ..Usage::default()
        }
    });
    Ok(Ranking {
        results,
        usage,
        request_id: parsed.request_id.or(parsed.id).map(crate::secret::scrub),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint() -> Endpoint {
        Endpoint {
            base_url: "http://127.0.0.1:1/api/v1".into(),
            key: None,
            workspace: Some("ws-1".into()),
            protocol: Protocol::Native,
            allow_insecure_http: false,
            max_event_size: crate::api::sse::DEFAULT_MAX_EVENT_SIZE,
            routes: None,
        }
    }

    fn request() -> RerankRequest {
        RerankRequest {
            model: "qwen3-rerank".into(),
            query: "what is rerank".into(),
            documents: vec!["a".into(), "b".into()],
            top_n: Some(1),
            instruct: Some("Retrieve semantically similar text.".into()),
        }
    }

    #[test]
    fn request_bodies_for_both_routes() {
        let native = Route::Native("http://127.0.0.1:1/api/v1".into());
        let p = prepare(&endpoint(), &native, &request());
        assert_eq!(
            p.url,
            "http://127.0.0.1:1/api/v1/services/rerank/text-rerank/text-rerank"
        );
        assert_eq!(
            p.body,
            json!({"model": "qwen3-rerank",
                   "input": {"query": "what is rerank", "documents": ["a", "b"]},
                   "parameters": {"top_n": 1, "return_documents": false,
                                  "instruct": "Retrieve semantically similar text."}})
        );
        assert!(
            p.headers
                .contains(&("X-DashScope-WorkSpace".into(), "ws-1".into()))
        );
        let flat = Route::Flat("http://127.0.0.1:1/compatible-api/v1/reranks".into());
        let p = prepare(&endpoint(), &flat, &request());
        assert_eq!(p.url, "http://127.0.0.1:1/compatible-api/v1/reranks");
        assert_eq!(
            p.body,
            json!({"model": "qwen3-rerank", "query": "what is rerank", "documents": ["a", "b"],
                   "top_n": 1, "instruct": "Retrieve semantically similar text."})
        );
    }

    #[test]
    fn routes_follow_the_base_url() {
        let at = |base: &str, protocol| {
            let e = Endpoint {
                base_url: base.into(),
                protocol,
                ..endpoint()
            };
            route(&e, None).url()
        };
        let native = "/api/v1/services/rerank/text-rerank/text-rerank";
        assert_eq!(
            at(
                "https://dashscope-intl.aliyuncs.com/api/v1",
                Protocol::Native
            ),
            format!("https://dashscope-intl.aliyuncs.com{native}")
        );
        assert_eq!(
            at(&Region::Cn.compat_base(), Protocol::Compat),
            "https://dashscope.aliyuncs.com/compatible-api/v1/reranks"
        );
        assert_eq!(
            at(&Region::Us.compat_base(), Protocol::Compat),
            format!("https://dashscope-us.aliyuncs.com{native}")
        );
        assert_eq!(
            at("http://127.0.0.1:9/compatible-mode/v1", Protocol::Compat),
            "http://127.0.0.1:9/compatible-api/v1/reranks"
        );
        assert_eq!(
            at("http://127.0.0.1:9/v1", Protocol::Compat),
            "http://127.0.0.1:9/v1/rerank"
        );
        let e = Endpoint {
            base_url: Region::Hk.compat_base(),
            protocol: Protocol::Compat,
            ..endpoint()
        };
        let given = Some("https://example.test/api/v1".to_owned());
        assert_eq!(
            route(&e, given).url(),
            format!("https://example.test{native}")
        );
    }

    #[test]
    fn responses_of_both_routes() {
        let native = r#"{"output":{"results":[{"document":{"text":"a"},"index":0,
            "relevance_score":0.93},{"index":1,"relevance_score":0.34}]},
            "usage":{"total_tokens":79},"request_id":"85ba"}"#;
        let r = parse(native, 2).unwrap();
        assert_eq!(
            r.results[0],
            Ranked {
                index: 0,
                score: 0.93
            }
        );
        assert_eq!(r.usage.unwrap().prompt_tokens, 79);
        assert_eq!(r.request_id.as_deref(), Some("85ba"));
        let flat = r#"{"id":"5f6e","object":"list","model":"qwen3-rerank",
            "results":[{"index":1,"relevance_score":0.2},{"index":0,"relevance_score":0.9}],
            "usage":{"total_tokens":12}}"#;
        let r = parse(flat, 2).unwrap();
        let order: Vec<usize> = r.results.iter().map(|x| x.index).collect();
        assert_eq!(order, [0, 1], "sorted best first");
        assert_eq!(r.request_id.as_deref(), Some("5f6e"));
        assert!(parse(flat, 1).is_err(), "an index past the documents sent");
        let err = parse(r#"{"code":"InvalidApiKey","message":"bad key"}"#, 1).unwrap_err();
        assert_eq!(err.status(), Some(401));
    }
}
