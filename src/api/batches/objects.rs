//! What the Batch API answers and accepts: file and batch objects, the lines of output and
//! error files (both documented shapes), the completion window, and how often to poll.

use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;

/// The endpoint every chat batch line and batch targets.
pub const CHAT_ENDPOINT: &str = "/v1/chat/completions";

/// An uploaded file.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct FileObject {
    /// `file-batch-…`.
    pub id: String,
    /// The name it was uploaded under.
    #[serde(default)]
    pub filename: String,
}

/// Line counts of a batch.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
pub struct RequestCounts {
    /// Lines in the input.
    #[serde(default)]
    pub total: u64,
    /// Lines done.
    #[serde(default)]
    pub completed: u64,
    /// Lines failed.
    #[serde(default)]
    pub failed: u64,
}

/// A batch job on the server.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct BatchObject {
    /// `batch_…`.
    pub id: String,
    /// `validating`, `in_progress`, `finalizing`, `completed`, `failed`, `expired`,
    /// `cancelling`, `cancelled`.
    pub status: String,
    /// The input file.
    #[serde(default)]
    pub input_file_id: String,
    /// Results of the lines that succeeded.
    #[serde(default)]
    pub output_file_id: Option<String>,
    /// Results of the lines that failed.
    #[serde(default)]
    pub error_file_id: Option<String>,
    /// Progress.
    #[serde(default)]
    pub request_counts: Option<RequestCounts>,
    /// Whole-job errors (validation).
    #[serde(default)]
    pub errors: Option<Value>,
}

impl BatchObject {
    /// Returns true when the batch will not change any more.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self.status.as_str(),
            "completed" | "failed" | "expired" | "cancelled"
        )
    }

    /// Returns the first whole-job error message, if any.
    pub fn error_message(&self) -> Option<String> {
        let errors = self.errors.as_ref()?;
        let first = errors.get("data").and_then(|d| d.get(0)).unwrap_or(errors);
        first
            .get("message")
            .and_then(Value::as_str)
            .map(str::to_owned)
    }
}

/// A result line from an output or error file, in either documented shape.
#[derive(Debug, Clone, PartialEq)]
pub enum ResultLine {
    /// A successful chat completion.
    Ok {
        /// The line's `custom_id`.
        custom_id: String,
        /// The chat completion body.
        body: Value,
        /// The request id.
        request_id: Option<String>,
    },
    /// A failed line.
    Failed {
        /// The line's `custom_id`.
        custom_id: String,
        /// The HTTP status of the line, when it has one.
        status: Option<u16>,
        /// The error code.
        code: Option<String>,
        /// The error message.
        message: String,
        /// The request id.
        request_id: Option<String>,
    },
}

/// Parses one output/error file line: `response.status_code != 200` or a non-null `error`
/// means failure; codes and messages are read as `code|error_code`, `message|error_message`
/// (dashscope-protocol.md §6.6 documents all three spellings).
pub fn parse_result_line(line: &str) -> Option<ResultLine> {
    let v: Value = serde_json::from_str(line).ok()?;
    let custom_id = match &v["custom_id"] {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    let response = &v["response"];
    let status = response["status_code"].as_u64().map(|s| s as u16);
    let request_id = response["request_id"]
        .as_str()
        .or_else(|| v["id"].as_str())
        .map(|id| crate::secret::scrub(id.to_owned()));
    let text = |e: &Value, a: &str, b: &str| {
        e.get(a)
            .or_else(|| e.get(b))
            .and_then(Value::as_str)
            .map(|t| crate::secret::scrub(t.to_owned()))
    };
    if !v["error"].is_null() {
        let e = &v["error"];
        return Some(ResultLine::Failed {
            custom_id,
            status,
            code: text(e, "code", "error_code"),
            message: text(e, "message", "error_message")
                .unwrap_or_else(|| crate::secret::scrub(e.to_string())),
            request_id,
        });
    }
    if status == Some(200) {
        return Some(ResultLine::Ok {
            custom_id,
            body: response["body"].clone(),
            request_id,
        });
    }
    let e = &response["body"]["error"];
    Some(ResultLine::Failed {
        custom_id,
        status,
        code: text(e, "code", "error_code")
            .or_else(|| text(&response["body"], "code", "error_code")),
        message: text(e, "message", "error_message")
            .or_else(|| text(&response["body"], "message", "error_message"))
            .unwrap_or_else(|| "the line failed without a message".into()),
        request_id,
    })
}

/// Checks a completion window against the documented range (§6.4): whole hours from `24h`
/// to `336h` or whole days from `1d` to `14d`. Returns it as it will be sent.
pub fn completion_window(text: &str) -> Result<String, String> {
    let bad = || {
        format!(
            "`{text}` is not a completion window: use whole hours from `24h` to `336h` or days from `1d` to `14d`"
        )
    };
    let (digits, unit, min, max) = match (text.strip_suffix('h'), text.strip_suffix('d')) {
        (Some(digits), _) => (digits, 'h', 24, 336),
        (_, Some(digits)) => (digits, 'd', 1, 14),
        _ => return Err(bad()),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    match digits.parse::<u64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(format!("{n}{unit}")),
        _ => Err(bad()),
    }
}

/// How long to wait between polls: starts at `first`, grows by half each time, capped.
pub fn poll_delays(first: Duration, cap: Duration) -> impl Iterator<Item = Duration> {
    std::iter::successors(Some(first), move |d| Some((*d + *d / 2).min(cap)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_lines_in_every_documented_shape() {
        let ok = r#"{"id":"c308","custom_id":"1","response":{"status_code":200,"request_id":"c308","body":{"choices":[{"message":{"content":"Hi"}}]}},"error":null}"#;
        assert!(
            matches!(parse_result_line(ok), Some(ResultLine::Ok { custom_id, .. }) if custom_id == "1")
        );
        let shape1 = r#"{"id":"5d1c","custom_id":"2","response":{"status_code":400,"request_id":"5d1c","body":{"error":{"code":"invalid_parameter_error","message":"Range of input length should be [1, 129024]"}}},"error":null}"#;
        match parse_result_line(shape1).unwrap() {
            ResultLine::Failed {
                status,
                code,
                message,
                ..
            } => {
                assert_eq!(status, Some(400));
                assert_eq!(code.as_deref(), Some("invalid_parameter_error"));
                assert!(message.contains("129024"));
            }
            other => panic!("{other:?}"),
        }
        let shape2 = r#"{"id":"77aa","custom_id":"3","response":null,"error":{"code":"InvalidParameter","message":"bad"}}"#;
        assert!(
            matches!(parse_result_line(shape2), Some(ResultLine::Failed { code: Some(c), .. }) if c == "InvalidParameter")
        );
        let shape3 = r#"{"custom_id":4,"error":{"error_code":"X","error_message":"y"}}"#;
        assert!(
            matches!(parse_result_line(shape3), Some(ResultLine::Failed { custom_id, message, .. }) if custom_id == "4" && message == "y")
        );
        assert_eq!(parse_result_line("garbage"), None);
    }

    #[test]
    fn completion_windows_in_the_documented_range_only() {
        for ok in ["24h", "336h", "48h", "1d", "14d", "024h"] {
            assert!(completion_window(ok).is_ok(), "{ok}");
        }
        assert_eq!(completion_window("024h").unwrap(), "24h");
        for bad in [
            "90m",
            "12h",
            "15d",
            "abc",
            "0h",
            "0d",
            "99999999h",
            "337h",
            "23h",
            "",
            "h",
            "+24h",
            "24",
            "24H",
            " 24h",
            "1.5d",
            "-1d",
            "99999999999999999999999d",
            "24hh",
            "2４h",
            "24h４",
        ] {
            let err = completion_window(bad).unwrap_err();
            assert!(err.contains("`24h` to `336h`"), "{bad}: {err}");
        }
    }

    #[test]
    fn polls_back_off_to_a_cap() {
        let d: Vec<_> = poll_delays(Duration::from_secs(10), Duration::from_secs(30))
            .take(5)
            .collect();
        assert_eq!(d[0], Duration::from_secs(10));
        assert_eq!(d[1], Duration::from_secs(15));
        assert_eq!(d[4], Duration::from_secs(30));
    }
}
