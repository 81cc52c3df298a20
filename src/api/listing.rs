//! The endpoint's own list of models: compat `GET /models` (one page) or native
//! `GET /models?page_no&page_size` (paginated), dashscope-protocol.md §7.2. Neither says
//! anything about context windows or prices; that is the built-in catalogue's job.

use serde::Deserialize;

use super::{ApiError, Client, Protocol, compat};

/// Models per page asked of the native list.
pub const PAGE_SIZE: u64 = 100;

/// Pages read at most, so a server that miscounts `total` cannot keep us looping.
pub const MAX_PAGES: u64 = 50;

/// One model the endpoint lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedModel {
    /// The name to pass as `--model`.
    pub id: String,
    /// Who provides it (`owned_by` in compat, `provider` in native), if said.
    pub owner: Option<String>,
}

#[derive(Deserialize)]
struct CompatList {
    data: Vec<CompatModel>,
}

#[derive(Deserialize)]
struct CompatModel {
    id: String,
    #[serde(default)]
    owned_by: Option<String>,
}

#[derive(Deserialize)]
struct NativeList {
    output: NativeOutput,
}

#[derive(Deserialize)]
struct NativeOutput {
    #[serde(default)]
    models: Vec<NativeModel>,
    #[serde(default)]
    total: Option<u64>,
}

#[derive(Deserialize)]
struct NativeModel {
    model: String,
    #[serde(default)]
    provider: Option<String>,
}

fn malformed(body: &str, e: serde_json::Error) -> ApiError {
    ApiError::Stream(format!(
        "malformed model list ({e}): {}",
        compat::snippet(body)
    ))
}

/// Parses a compat (OpenAI-shaped) model list.
pub fn parse_compat(body: &str) -> Result<Vec<ListedModel>, ApiError> {
    let list: CompatList = serde_json::from_str(body).map_err(|e| malformed(body, e))?;
    Ok(list
        .data
        .into_iter()
        .map(|m| ListedModel {
            id: crate::secret::scrub(m.id),
            owner: m
                .owned_by
                .filter(|o| !o.is_empty())
                .map(crate::secret::scrub),
        })
        .collect())
}

/// Parses one page of the native model list; returns its models and the total count.
pub fn parse_native(body: &str) -> Result<(Vec<ListedModel>, Option<u64>), ApiError> {
    let list: NativeList = serde_json::from_str(body).map_err(|e| malformed(body, e))?;
    let models = list
        .output
        .models
        .into_iter()
        .map(|m| ListedModel {
            id: crate::secret::scrub(m.model),
            owner: m
                .provider
                .filter(|o| !o.is_empty())
                .map(crate::secret::scrub),
        })
        .collect();
    Ok((models, list.output.total))
}

/// Fetches every model the endpoint lists.
pub async fn list(client: &Client) -> Result<Vec<ListedModel>, ApiError> {
    let base = &client.endpoint().base_url;
    match client.endpoint().protocol {
        Protocol::Compat => {
            let body = read(client, &format!("{base}/models")).await?;
            parse_compat(&body)
        }
        Protocol::Native => {
            let mut all = Vec::new();
            for page in 1..=MAX_PAGES {
                let url = format!("{base}/models?page_no={page}&page_size={PAGE_SIZE}");
                let (models, total) = parse_native(&read(client, &url).await?)?;
                let short = (models.len() as u64) < PAGE_SIZE;
                all.extend(models);
                // Paginate until page_no * page_size >= total (§7.2); a short page ends it too.
                if short || total.is_none_or(|t| page * PAGE_SIZE >= t) {
                    break;
                }
            }
            Ok(all)
        }
    }
}

async fn read(client: &Client, url: &str) -> Result<String, ApiError> {
    let response = client.get(url).await?;
    let body = super::error::read_whole(response, client.endpoint().max_event_size).await?;
    Ok(String::from_utf8_lossy(&body).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn llama_cpp_capture_lists_its_model() {
        let body = include_str!("../../tests/fixtures/llama-models.json");
        let models = parse_compat(body).unwrap();
        assert_eq!(
            models,
            vec![ListedModel {
                id: "gemma-3-270m".into(),
                owner: Some("llamacpp".into())
            }]
        );
    }

    #[test]
    fn native_page_shape() {
        let body = r#"{"output":{"models":[{"model":"qwen-plus","name":"Qwen-Plus",
            "provider":"qwen","source":"x","opensource":false}],"total":123,"page_no":1,
            "page_size":100},"request_id":"r"}"#;
        let (models, total) = parse_native(body).unwrap();
        assert_eq!(models[0].id, "qwen-plus");
        assert_eq!(models[0].owner.as_deref(), Some("qwen"));
        assert_eq!(total, Some(123));
        assert!(parse_native("{}").is_err());
    }
}
