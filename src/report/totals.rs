//! The sums of one group of ledger rows: requests, errors, tokens, cost per currency (with
//! unpriced calls counted, never as 0), cache hits, and latency percentiles (nearest-rank).

use std::collections::BTreeMap;

use crate::prices::Currency;
use crate::store::CallFact;

/// Sums for one group of ledger rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Totals {
    /// API attempts (cache hits are not requests).
    pub requests: u64,
    /// Failed attempts.
    pub errors: u64,
    /// Input tokens.
    pub input_tokens: u64,
    /// Output tokens (reasoning included).
    pub output_tokens: u64,
    /// Reasoning tokens.
    pub reasoning_tokens: u64,
    /// Cached input tokens.
    pub cached_tokens: u64,
    /// Image, audio and video input tokens (`--attach`), and spoken output tokens.
    pub media_tokens: [u64; 4],
    /// Estimated cost per currency.
    pub cost: BTreeMap<Currency, f64>,
    /// Billable attempts whose price is unknown (counted here, never as 0).
    pub unpriced: u64,
    /// Replies served from the response cache.
    pub cache_hits: u64,
    /// Tokens those hits saved.
    pub saved_tokens: u64,
    /// Input tokens written to the explicit context cache.
    pub cache_write_tokens: u64,
    /// Cached input tokens that were explicit-cache hits (part of `cached_tokens`).
    pub explicit_hit_tokens: u64,
    /// What the context cache saved, net of writes, per currency.
    pub cache_saved: BTreeMap<Currency, f64>,
    /// Latencies of successful attempts, ms, as collected (emptied by [`Totals::summarize`]).
    pub latencies_ms: Vec<f64>,
    /// Times to first token of successful attempts, ms, as collected.
    pub ttfts_ms: Vec<f64>,
    /// Latency of successful attempts.
    pub latency: Summary,
    /// Time to first token of successful attempts.
    pub ttft: Summary,
}

/// Count, sum and percentiles of a set of durations.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// How many.
    pub count: u64,
    /// Their sum, ms.
    pub sum_ms: f64,
    /// Median, ms.
    pub p50: Option<f64>,
    /// 95th percentile, ms.
    pub p95: Option<f64>,
    /// 99th percentile, ms.
    pub p99: Option<f64>,
}

impl Summary {
    /// Summarises `values` (reordering them).
    pub fn of(values: &mut [f64]) -> Self {
        Summary {
            count: values.len() as u64,
            sum_ms: values.iter().sum(),
            p50: percentile(values, 0.5),
            p95: percentile(values, 0.95),
            p99: percentile(values, 0.99),
        }
    }
}

impl Totals {
    pub(super) fn add(&mut self, c: &CallFact<'_>) {
        if c.cache_hit {
            self.cache_hits += 1;
            self.saved_tokens += c.saved_tokens.unwrap_or(0);
            return;
        }
        self.requests += 1;
        self.errors += u64::from(c.failed);
        self.input_tokens += c.prompt_tokens.unwrap_or(0);
        self.output_tokens += c.completion_tokens.unwrap_or(0);
        self.reasoning_tokens += c.reasoning_tokens.unwrap_or(0);
        self.cached_tokens += c.cached_tokens.unwrap_or(0);
        self.cache_write_tokens += c.cache_write_tokens.unwrap_or(0);
        if c.explicit_cache {
            self.explicit_hit_tokens += c.cached_tokens.unwrap_or(0);
        }
        if let (Some(saved), Some(currency)) = (c.cache_saved, c.currency.and_then(Currency::parse))
            && saved != 0.0
        {
            *self.cache_saved.entry(currency).or_default() += saved;
        }
        let m = &c.media_tokens;
        for (sum, n) in
            self.media_tokens
                .iter_mut()
                .zip([m.image, m.audio, m.video, m.output_audio])
        {
            *sum += n.unwrap_or(0);
        }
        match (c.cost, c.currency.and_then(Currency::parse)) {
            (Some(amount), Some(currency)) => *self.cost.entry(currency).or_default() += amount,
            // A failed attempt that reported no tokens was not billed.
            _ if c.prompt_tokens.is_some() || !c.failed => self.unpriced += 1,
            _ => {}
        }
        if !c.failed {
            self.latencies_ms.push(c.latency_ms);
            if let Some(t) = c.ttft_ms {
                self.ttfts_ms.push(t);
            }
        }
    }

    pub(super) fn merge(&mut self, other: &Totals) {
        self.requests += other.requests;
        self.errors += other.errors;
        self.input_tokens += other.input_tokens;
        self.output_tokens += other.output_tokens;
        self.reasoning_tokens += other.reasoning_tokens;
        self.cached_tokens += other.cached_tokens;
        self.cache_write_tokens += other.cache_write_tokens;
        self.explicit_hit_tokens += other.explicit_hit_tokens;
        for (sum, n) in self.media_tokens.iter_mut().zip(other.media_tokens) {
            *sum += n;
        }
        for (currency, amount) in &other.cost {
            *self.cost.entry(*currency).or_default() += amount;
        }
        for (currency, amount) in &other.cache_saved {
            *self.cache_saved.entry(*currency).or_default() += amount;
        }
        self.unpriced += other.unpriced;
        self.cache_hits += other.cache_hits;
        self.saved_tokens += other.saved_tokens;
        self.latencies_ms.extend_from_slice(&other.latencies_ms);
        self.ttfts_ms.extend_from_slice(&other.ttfts_ms);
    }

    /// Computes the latency summaries and frees the collected values.
    pub fn summarize(&mut self) {
        self.latency = Summary::of(&mut self.latencies_ms);
        self.ttft = Summary::of(&mut self.ttfts_ms);
        self.latencies_ms = Vec::new();
        self.ttfts_ms = Vec::new();
    }

    /// Failed attempts as a fraction of attempts (0 when there were none).
    pub fn error_rate(&self) -> f64 {
        if self.requests == 0 {
            0.0
        } else {
            self.errors as f64 / self.requests as f64
        }
    }
}

/// The nearest-rank percentile (`p` in 0–1): the value at rank ⌈p·n⌉ (1-based) of the values
/// in ascending order. A selection, not a sort: linear time, and it reorders `values`.
pub fn percentile(values: &mut [f64], p: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let rank = ((p * values.len() as f64).ceil() as usize).clamp(1, values.len());
    Some(*values.select_nth_unstable_by(rank - 1, f64::total_cmp).1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles_match_hand_computed_values() {
        // Shuffled on purpose: the percentile selects, it does not need sorted input.
        let mut tens = vec![70.0, 10.0, 100.0, 40.0, 30.0, 90.0, 20.0, 60.0, 50.0, 80.0];
        // ⌈0.5·10⌉ = 5th, ⌈0.95·10⌉ = 10th, ⌈0.99·10⌉ = 10th.
        assert_eq!(percentile(&mut tens, 0.5), Some(50.0));
        assert_eq!(percentile(&mut tens, 0.95), Some(100.0));
        assert_eq!(percentile(&mut tens, 0.99), Some(100.0));
        let mut hundred: Vec<f64> = (1..=100).rev().map(f64::from).collect();
        assert_eq!(percentile(&mut hundred, 0.95), Some(95.0));
        assert_eq!(percentile(&mut hundred, 0.99), Some(99.0));
        assert_eq!(percentile(&mut [7.0], 0.99), Some(7.0));
        assert_eq!(percentile(&mut [4.0, 2.0, 3.0, 1.0], 0.5), Some(2.0));
        assert_eq!(percentile(&mut [], 0.5), None);
        let s = Summary::of(&mut [3.0, 1.0, 2.0]);
        assert_eq!(
            (s.count, s.sum_ms, s.p50, s.p99),
            (3, 6.0, Some(2.0), Some(3.0))
        );
    }
}
