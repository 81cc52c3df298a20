//! What an attempt under way has done so far, from its events, so that an attempt cut
//! short (Ctrl-C, an abandoned batch item) still gets its ledger record.

use std::time::{Duration, Instant, SystemTime};

use super::AttemptRecord;
use crate::api::types::{Event, Usage};

/// The attempt under way, as far as its events tell, so that a command stopped by Ctrl-C
/// (which drops the turn mid-attempt) can still put that attempt in the ledger.
#[derive(Debug, Default)]
pub struct InFlight(Option<Open>);

#[derive(Debug)]
struct Open {
    started_at: SystemTime,
    start: Instant,
    model: String,
    /// The model the server named, if it did.
    served: Option<String>,
    attempt: u32,
    answered: bool,
    request_id: Option<String>,
    usage: Option<Usage>,
    ttft: Option<Duration>,
}

impl InFlight {
    /// An attempt started.
    pub fn start(&mut self, model: &str, attempt: u32) {
        self.0 = Some(Open {
            started_at: SystemTime::now(),
            start: Instant::now(),
            model: model.to_owned(),
            served: None,
            attempt,
            answered: false,
            request_id: None,
            usage: None,
            ttft: None,
        });
    }

    /// An event of the attempt arrived.
    pub fn event(&mut self, event: &Event) {
        let Some(open) = &mut self.0 else { return };
        open.answered = true;
        match event {
            Event::Meta { request_id, model } => {
                if request_id.is_some() {
                    open.request_id.clone_from(request_id);
                }
                if let Some(model) = model.as_ref().filter(|m| !m.is_empty()) {
                    open.served = Some(model.clone());
                }
            }
            Event::Usage(usage) => open.usage = Some(*usage),
            Event::Text(_) | Event::Reasoning(_) | Event::ToolCall(_) if open.ttft.is_none() => {
                open.ttft = Some(open.start.elapsed());
            }
            _ => {}
        }
    }

    /// The attempt ended and was recorded.
    pub fn end(&mut self) {
        self.0 = None;
    }

    /// The record of an attempt cut short, if one was under way: `interrupted`, with the
    /// HTTP status only when the reply had begun.
    pub fn interrupted(&mut self) -> Option<AttemptRecord> {
        let open = self.0.take()?;
        let (model, requested_model) = match open.served {
            Some(served) if served != open.model => (served, Some(open.model)),
            _ => (open.model, None),
        };
        Some(AttemptRecord {
            started_at: open.started_at,
            model,
            requested_model,
            attempt: open.attempt,
            status: open.answered.then_some(200),
            error_code: Some("interrupted".to_owned()),
            request_id: open.request_id,
            usage: open.usage,
            ttft: open.ttft,
            latency: open.start.elapsed(),
        })
    }
}
