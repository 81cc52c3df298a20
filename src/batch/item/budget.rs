//! `--max-cost`: each item's estimated cost reserved before it starts, what finished attempts
//! really cost charged after, and the run stopped before the next item would pass the limit.

use std::cell::Cell;

use super::Context;
use crate::api::turn::AttemptRecord;
use crate::api::types::{ChatRequest, Usage};
use crate::prices::{self, PriceTable};
use crate::term::note;

/// `--max-cost`: the run stops starting items once the spend so far, plus what the items in
/// flight and the next one are estimated to cost, would pass the limit.
pub struct Budget<'a> {
    /// The limit, in the price table's currency.
    pub max: f64,
    /// Prices.
    pub prices: &'a PriceTable,
    /// The API host (it picks the price table).
    pub host: Option<&'a str>,
    /// Spent by finished attempts.
    pub spent: Cell<f64>,
    /// Estimated for the items in flight.
    pub reserved: Cell<f64>,
    /// The limit stopped the run.
    pub tripped: Cell<bool>,
}

/// Output tokens assumed for a request that sets no `max_tokens`, when estimating cost.
const ASSUMED_OUTPUT_TOKENS: u64 = 500;

impl Budget<'_> {
    fn cost(&self, model: &str, usage: &Usage) -> Option<f64> {
        prices::cost(
            self.prices,
            model,
            self.host,
            usage,
            usage.reasoning_tokens > 0,
            false,
        )
        .map(|c| c.amount)
    }

    /// Estimates a request: its input, and `max_tokens` (or a modest guess) of output.
    fn estimate(&self, req: &ChatRequest, input_tokens: u64) -> Option<f64> {
        let usage = Usage {
            prompt_tokens: input_tokens,
            completion_tokens: req
                .params
                .max_tokens
                .map_or(ASSUMED_OUTPUT_TOKENS, u64::from),
            ..Default::default()
        };
        self.cost(&req.model, &usage)
    }

    /// Adds what finished attempts actually cost.
    pub fn charge(&self, attempts: &[AttemptRecord]) {
        let spent: f64 = attempts
            .iter()
            .filter_map(|a| {
                // Priced as the model that answered, else as the one asked for.
                let u = a.usage?;
                std::iter::once(&a.model)
                    .chain(&a.requested_model)
                    .find_map(|m| self.cost(m, &u))
            })
            .sum();
        self.spent.set(self.spent.get() + spent);
    }
}

/// Reserves an item's estimated cost, or stops the run when it would pass `--max-cost` or
/// its price is unknown (a limit that cannot be checked is not kept by guessing).
pub(super) fn reserve(
    ctx: &Context<'_>,
    budget: &Budget<'_>,
    req: &ChatRequest,
    tokens: u64,
) -> Option<f64> {
    if ctx.stop.get() {
        return None;
    }
    let Some(cost) = budget.estimate(req, tokens) else {
        ctx.stop.set(true);
        budget.tripped.set(true);
        note(
            "error",
            &format!(
                "stopping: `--max-cost` needs a price for `{}`; add `[prices.\"{}\"]` to the config",
                req.model, req.model
            ),
        );
        return None;
    };
    let total = budget.spent.get() + budget.reserved.get() + cost;
    if total > budget.max {
        ctx.stop.set(true);
        budget.tripped.set(true);
        note(
            "note",
            &format!(
                "stopping: the next item would take the run's estimated spend to {} (--max-cost {})",
                prices::format_amount(total),
                prices::format_amount(budget.max)
            ),
        );
        return None;
    }
    budget.reserved.set(budget.reserved.get() + cost);
    Some(cost)
}
