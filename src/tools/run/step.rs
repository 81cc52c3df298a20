//! One step of the loop as it streams: its observer (audit trail, notes, attempts for the
//! ledger) and its usage line.

use super::*;

/// Streams one step's events into the audit trail, notes retries and fallbacks as `chat`
/// does, and collects the step's attempts for the ledger.
pub(super) struct StepObserver<'a, W: Write> {
    pub(super) audit: &'a mut Audit<W>,
    pub(super) in_flight: &'a mut InFlight,
    pub(super) step: u32,
    pub(super) quiet: bool,
    pub(super) max_attempts: u32,
    pub(super) records: Vec<AttemptRecord>,
    /// Shown on a terminal until the step's first event.
    pub(super) spinner: Spinner,
}

impl<W: Write> Observer for StepObserver<'_, W> {
    fn on_event(&mut self, event: &Event) -> io::Result<()> {
        self.spinner.stop();
        self.in_flight.event(event);
        match event {
            Event::Text(text) => self.audit.text(self.step, text),
            Event::Reasoning(text) => self.audit.reasoning(self.step, text),
            _ => Ok(()),
        }
    }

    fn on_retry(&mut self, err: &ApiError, delay: Duration, next_attempt: u32) {
        let (quiet, max) = (self.quiet, self.max_attempts);
        self.spinner
            .suspend(|| note_retry(quiet, max, err, delay, next_attempt));
    }

    fn on_fallback(&mut self, from: &str, to: &str, err: &ApiError) {
        let quiet = self.quiet;
        self.spinner.suspend(|| note_fallback(quiet, from, to, err));
    }

    fn on_attempt_start(&mut self, model: &str, attempt: u32) {
        self.in_flight.start(model, attempt);
    }

    fn on_attempt(&mut self, record: &AttemptRecord) {
        self.in_flight.end();
        self.records.push(record.clone());
    }
}

pub(super) fn total_usage(steps: &[(String, Usage)]) -> Usage {
    let mut total = Usage::default();
    for (_, u) in steps {
        total.prompt_tokens += u.prompt_tokens;
        total.completion_tokens += u.completion_tokens;
        total.total_tokens += u.total_tokens;
        total.reasoning_tokens += u.reasoning_tokens;
        total.cached_tokens += u.cached_tokens;
        total.cache_write_tokens += u.cache_write_tokens;
        total.explicit_cache |= u.explicit_cache;
    }
    total
}

/// The `--usage` line of a run. Unlike `chat`'s, each request is priced on its own (its
/// model, and its own input size, which picks the price tier) and the costs are added up.
pub(super) fn usage_line(
    settings: &Settings,
    steps: &[(String, Usage)],
    requests: u32,
    took: Duration,
) -> String {
    let total = total_usage(steps);
    let host = endpoints::host_of(&settings.base_url);
    let costs: Option<Vec<prices::Cost>> = steps
        .iter()
        .map(|(model, u)| {
            prices::cost(
                &settings.prices,
                model,
                host,
                u,
                u.reasoning_tokens > 0,
                false,
            )
        })
        .collect();
    let cost = match costs {
        Some(costs)
            if !costs.is_empty() && costs.iter().all(|c| c.currency == costs[0].currency) =>
        {
            let amount = costs.iter().map(|c| c.amount).sum();
            format!(
                "~{}",
                prices::Cost {
                    amount,
                    currency: costs[0].currency
                }
            )
        }
        _ => "cost unknown".to_owned(),
    };
    let cache = if total.cache_write_tokens > 0 || total.explicit_cache {
        let saved: Option<Vec<prices::Cost>> = steps
            .iter()
            .map(|(model, u)| prices::cache_saving(&settings.prices, model, host, u, false))
            .collect();
        let saved = saved.filter(|s| s.iter().all(|c| c.currency == s[0].currency));
        let saved = saved.and_then(|s| {
            Some(prices::Cost {
                amount: s.iter().map(|c| c.amount).sum(),
                currency: s.first()?.currency,
            })
        });
        format!(
            " · {}",
            prices::cache_line(total.cache_write_tokens, total.cached_tokens, saved)
        )
    } else {
        String::new()
    };
    format!(
        "{} input + {} output tokens = {} over {requests} requests · {} · {} · {cost}{cache}",
        total.prompt_tokens,
        total.completion_tokens,
        total.total_tokens,
        settings.model,
        format_duration(took)
    )
}
