//! Prices of the Qwen models and the estimated cost of one request.
//!
//! The built-in table and its sources are `table.rs`. Rules from the same sources: a tiered
//! model bills the *whole* request at the tier its input size selects; an implicit-cache hit
//! costs 20 % of the input price; the Batch API costs 50 % and gives no cache discount. Tier bounds are in K = 1,024 tokens, as in Alibaba's tables
//! (qwen3-max's top tier ends at 252K = its 258,048-token input limit); LiteLLM writes them as
//! multiples of 1,000, which differs only within 2.4 % of a bound. Where sources conflict, the
//! choice is noted at the entry. Prices a source leaves out (qwen-turbo's Beijing output
//! price, thinking output of qwen3-235b-a22b in Beijing, qwen3.6-max-preview above 128K) stay
//! unknown: an unknown cost is `None`, never 0. `[prices."MODEL"]` in config.toml overrides
//! or adds entries (see [`PriceConfig`]).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;

use crate::api::types::Usage;

mod table;

use table::{INTL, MAINLAND};

/// A currency prices are given in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Currency {
    /// US dollars (international deployments).
    Usd,
    /// Chinese yuan (mainland China, Beijing).
    Cny,
}

impl Currency {
    /// Returns the ISO 4217 code.
    pub fn code(self) -> &'static str {
        match self {
            Currency::Usd => "USD",
            Currency::Cny => "CNY",
        }
    }

    /// Parses an ISO code, ignoring case.
    pub fn parse(code: &str) -> Option<Self> {
        // Called once per ledger row by reports: no allocation.
        let code = code.trim();
        if code.eq_ignore_ascii_case("USD") {
            Some(Currency::Usd)
        } else if code.eq_ignore_ascii_case("CNY") || code.eq_ignore_ascii_case("RMB") {
            Some(Currency::Cny)
        } else {
            None
        }
    }

    fn symbol(self) -> &'static str {
        match self {
            Currency::Usd => "$",
            Currency::Cny => "¥",
        }
    }
}

/// An estimated amount of money.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cost {
    /// The amount, in `currency`.
    pub amount: f64,
    /// The currency.
    pub currency: Currency,
}

impl fmt::Display for Cost {
    /// Shows about three significant digits: `$0.00123`, `¥4.50`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{}",
            self.currency.symbol(),
            format_amount(self.amount)
        )
    }
}

/// Formats an amount with about three significant digits (at least two decimals).
pub fn format_amount(amount: f64) -> String {
    if amount == 0.0 || !amount.is_finite() {
        return format!("{amount:.2}");
    }
    let decimals = (2 - amount.abs().log10().floor() as i32).clamp(2, 8) as usize;
    format!("{amount:.decimals$}")
}

/// What thinking-mode output costs, per 1M tokens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ThinkingPrice {
    /// The same as ordinary output.
    SameAsOutput,
    /// Its own price.
    Per1M(f64),
    /// Not published: a thinking request's cost is unknown.
    Unknown,
}

/// One input-size tier of a price; prices are per 1M tokens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tier {
    /// The largest input (prompt) size in tokens this tier covers; `None`: no bound.
    pub up_to: Option<u64>,
    /// Input tokens.
    pub input: f64,
    /// Output tokens (reasoning included).
    pub output: f64,
    /// Output tokens when thinking is on.
    pub thinking_output: ThinkingPrice,
    /// Input tokens served from the implicit cache; `None`: 20 % of `input`.
    pub cached_input: Option<f64>,
    /// Input tokens written to the explicit cache; `None`: 125 % of `input`.
    pub cache_write: Option<f64>,
    /// Input tokens served from the explicit cache; `None`: 10 % of `input`.
    pub explicit_cached_input: Option<f64>,
    /// Output tokens of a spoken reply (Omni); `None`: the `output` price.
    pub audio_output: Option<f64>,
}

impl Tier {
    /// The price of a cache hit: explicit (10 % by default) or implicit (20 %).
    pub fn hit_price(&self, explicit: bool) -> f64 {
        if explicit {
            self.explicit_cached_input.unwrap_or(self.input * 0.1)
        } else {
            self.cached_input.unwrap_or(self.input * 0.2)
        }
    }

    /// The price of writing to the explicit cache (125 % by default).
    pub fn write_price(&self) -> f64 {
        self.cache_write.unwrap_or(self.input * 1.25)
    }
}

/// The price of one model.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelPrice {
    /// The currency; `None` (config entries without `currency`): the host's.
    pub currency: Option<Currency>,
    /// Tiers by ascending `up_to`.
    pub tiers: Cow<'static, [Tier]>,
}

/// Which built-in table a host's prices come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Market {
    /// International deployments, in USD.
    International,
    /// Mainland China (Beijing), in CNY.
    Mainland,
}

impl Market {
    /// Picks the table for an API host: Beijing hosts are mainland, other DashScope hosts
    /// international. Loopback, custom hosts and the Coding/Token Plan hosts (subscriptions,
    /// not billed per token) have no built-in prices.
    pub fn of_host(host: &str) -> Option<Market> {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        let plan = host.starts_with("coding.")
            || host.starts_with("coding-intl.")
            || host.starts_with("token-plan.");
        if plan || !host.ends_with(".aliyuncs.com") {
            return None;
        }
        if matches!(
            host.as_str(),
            "dashscope.aliyuncs.com" | "batch.dashscope.aliyuncs.com"
        ) || host.ends_with(".cn-beijing.maas.aliyuncs.com")
        {
            Some(Market::Mainland)
        } else if host.contains("dashscope") || host.ends_with(".maas.aliyuncs.com") {
            Some(Market::International)
        } else {
            None
        }
    }

    /// The currency of the market's table.
    pub fn currency(self) -> Currency {
        match self {
            Market::International => Currency::Usd,
            Market::Mainland => Currency::Cny,
        }
    }

    fn table(self) -> &'static [(&'static str, &'static [Tier])] {
        match self {
            Market::International => INTL,
            Market::Mainland => MAINLAND,
        }
    }
}

/// `[prices."MODEL"]` in config.toml: prices per 1M tokens.
///
/// Either `input` and `output` (one price for every input size), or `tiers`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
pub struct PriceConfig {
    /// Input tokens.
    pub input: Option<f64>,
    /// Output tokens.
    pub output: Option<f64>,
    /// Output tokens in thinking mode (default: `output`).
    pub thinking_output: Option<f64>,
    /// Cached input tokens (default: 20 % of `input`).
    pub cached_input: Option<f64>,
    /// Input tokens written to the explicit cache (default: 125 % of `input`).
    pub cache_write: Option<f64>,
    /// Input tokens read from the explicit cache (default: 10 % of `input`).
    pub explicit_cached_input: Option<f64>,
    /// Output tokens of a spoken reply (Omni; default: `output`).
    pub audio_output: Option<f64>,
    /// `USD` or `CNY` (default: the host's currency; USD off DashScope).
    pub currency: Option<String>,
    /// Tiers by input size, ascending.
    pub tiers: Option<Vec<TierConfig>>,
}

/// One tier of a `[prices."MODEL"]` entry.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
pub struct TierConfig {
    /// The largest input size in tokens this tier covers; omit on the last tier.
    pub up_to: Option<u64>,
    /// Input tokens.
    pub input: f64,
    /// Output tokens.
    pub output: f64,
    /// Output tokens in thinking mode (default: `output`).
    pub thinking_output: Option<f64>,
    /// Cached input tokens (default: 20 % of `input`).
    pub cached_input: Option<f64>,
    /// Input tokens written to the explicit cache (default: 125 % of `input`).
    pub cache_write: Option<f64>,
    /// Input tokens read from the explicit cache (default: 10 % of `input`).
    pub explicit_cached_input: Option<f64>,
    /// Output tokens of a spoken reply (Omni; default: `output`).
    pub audio_output: Option<f64>,
}

/// The built-in prices with the config file's overrides on top.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PriceTable {
    overrides: BTreeMap<String, ModelPrice>,
}

impl PriceTable {
    /// Checks the config file's `[prices]` entries; the error names the bad entry.
    pub fn from_config(entries: &BTreeMap<String, PriceConfig>) -> Result<Self, String> {
        let mut overrides = BTreeMap::new();
        for (model, entry) in entries {
            let price = model_price(entry).map_err(|e| format!("`prices.\"{model}\"`: {e}"))?;
            overrides.insert(model.clone(), price);
        }
        Ok(Self { overrides })
    }

    /// Finds the price of `model` on `host`: an exact name first, then the longest name that
    /// `model` extends with `-…` (a dated snapshot such as `qwen-plus-2025-07-28`); config
    /// entries win over built-in ones of the same name. Returns the price and its currency.
    pub fn lookup(&self, model: &str, host: Option<&str>) -> Option<(Cow<'_, [Tier]>, Currency)> {
        let market = host.and_then(Market::of_host);
        let default_currency = market.map_or(Currency::Usd, Market::currency);
        let builtin = market.map_or(&[][..], Market::table);
        let extends = |name: &str| {
            model
                .strip_prefix(name)
                .is_some_and(|rest| rest.starts_with('-'))
        };
        // Candidates as (name, tiers, currency, is_override); exact names beat prefixes,
        // longer prefixes beat shorter, overrides beat built-ins.
        let candidates = self
            .overrides
            .iter()
            .map(|(name, p)| {
                let currency = p.currency.unwrap_or(default_currency);
                (name.as_str(), Cow::Borrowed(&*p.tiers), currency, true)
            })
            .chain(
                builtin
                    .iter()
                    .map(|(name, tiers)| (*name, Cow::Borrowed(*tiers), default_currency, false)),
            );
        candidates
            .filter(|(name, ..)| *name == model || extends(name))
            .max_by_key(|(name, _, _, is_override)| (*name == model, name.len(), *is_override))
            .map(|(_, tiers, currency, _)| (tiers, currency))
    }
}

fn model_price(entry: &PriceConfig) -> Result<ModelPrice, String> {
    let currency = match &entry.currency {
        Some(code) => Some(
            Currency::parse(code)
                .ok_or_else(|| format!("unknown currency `{code}` (use USD or CNY)"))?,
        ),
        None => None,
    };
    let tiers: Vec<Tier> = match (&entry.tiers, entry.input, entry.output) {
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
            return Err("give either `input` and `output`, or `tiers`, not both".into());
        }
        (Some(tiers), None, None) => tiers
            .iter()
            .map(|t| Tier {
                cache_write: t.cache_write,
                explicit_cached_input: t.explicit_cached_input,
                audio_output: t.audio_output,
                ..config_tier(
                    t.up_to,
                    t.input,
                    t.output,
                    t.thinking_output,
                    t.cached_input,
                )
            })
            .collect(),
        (None, Some(input), Some(output)) => vec![Tier {
            cache_write: entry.cache_write,
            explicit_cached_input: entry.explicit_cached_input,
            audio_output: entry.audio_output,
            ..config_tier(
                None,
                input,
                output,
                entry.thinking_output,
                entry.cached_input,
            )
        }],
        (None, ..) => return Err("needs `input` and `output` (or `tiers`)".into()),
    };
    if tiers.is_empty() {
        return Err("`tiers` is empty".into());
    }
    for t in &tiers {
        let prices = [t.input, t.output]
            .into_iter()
            .chain(t.cached_input)
            .chain(t.cache_write)
            .chain(t.explicit_cached_input)
            .chain(t.audio_output)
            .chain(match t.thinking_output {
                ThinkingPrice::Per1M(p) => Some(p),
                _ => None,
            });
        for p in prices {
            if !p.is_finite() || p < 0.0 {
                return Err(format!("`{p}` is not a price"));
            }
        }
    }
    for pair in tiers.windows(2) {
        match (pair[0].up_to, pair[1].up_to) {
            (Some(a), Some(b)) if a < b => {}
            (Some(_), None) => {}
            _ => {
                return Err(
                    "tiers need ascending `up_to`, and only the last may leave it out".into(),
                );
            }
        }
    }
    Ok(ModelPrice {
        currency,
        tiers: Cow::Owned(tiers),
    })
}

fn config_tier(
    up_to: Option<u64>,
    input: f64,
    output: f64,
    thinking_output: Option<f64>,
    cached_input: Option<f64>,
) -> Tier {
    Tier {
        up_to,
        input,
        output,
        thinking_output: thinking_output.map_or(ThinkingPrice::SameAsOutput, ThinkingPrice::Per1M),
        cached_input,
        cache_write: None,
        explicit_cached_input: None,
        audio_output: None,
    }
}

/// Estimates what one request cost.
///
/// `host` is the API host (it picks the built-in table: CNY for Beijing, USD elsewhere on
/// DashScope, nothing for other hosts unless configured); `thinking` is whether thinking mode
/// was on (`usage.reasoning_tokens > 0` is a good test); `batch` applies the Batch API's 50 %
/// (which has no cache discount). Cache hits cost 10 % of the input price when they came
/// from the explicit cache (`usage.explicit_cache`), else 20 %; explicit-cache writes cost
/// 125 % (a tier may name its own prices for each). Returns `None` when the price is not known.
pub fn cost(
    table: &PriceTable,
    model: &str,
    host: Option<&str>,
    usage: &Usage,
    thinking: bool,
    batch: bool,
) -> Option<Cost> {
    let (tiers, currency) = table.lookup(model, host)?;
    let tier = tier_of(&tiers, usage)?;
    let output_price = if thinking {
        match tier.thinking_output {
            ThinkingPrice::SameAsOutput => tier.output,
            ThinkingPrice::Per1M(p) => p,
            ThinkingPrice::Unknown => return None,
        }
    } else {
        tier.output
    };
    let (cached, written) = cache_split(usage, batch);
    // A spoken reply's tokens at the audio-output price where the table has one.
    let spoken = match tier.audio_output {
        Some(_) => usage.output_audio_tokens.min(usage.completion_tokens),
        None => 0,
    };
    let per_million = (usage.prompt_tokens - cached - written) as f64 * tier.input
        + cached as f64 * tier.hit_price(usage.explicit_cache)
        + written as f64 * tier.write_price()
        + (usage.completion_tokens - spoken) as f64 * output_price
        + spoken as f64 * tier.audio_output.unwrap_or(0.0);
    let discount = if batch { 0.5 } else { 1.0 };
    Some(Cost {
        amount: per_million / 1e6 * discount,
        currency,
    })
}

/// What the context cache saved on one request: what its cached and written input tokens
/// would have cost at the full input price, minus what they cost. A write costs more than
/// it saves, so a request that only wrote saved a negative amount (net figures add up over
/// a run). `None` when the price is not known; zero without cache tokens.
pub fn cache_saving(
    table: &PriceTable,
    model: &str,
    host: Option<&str>,
    usage: &Usage,
    batch: bool,
) -> Option<Cost> {
    let (tiers, currency) = table.lookup(model, host)?;
    let tier = tier_of(&tiers, usage)?;
    let (cached, written) = cache_split(usage, batch);
    let per_million = cached as f64 * (tier.input - tier.hit_price(usage.explicit_cache))
        - written as f64 * (tier.write_price() - tier.input);
    Some(Cost {
        amount: per_million / 1e6,
        currency,
    })
}

/// `cache: wrote N, hit M tokens, saved X`: the explicit prompt cache's part of a request or
/// a run. The saving is net — what the tokens would have cost at the full input price,
/// minus what they cost — so a run that only wrote the cache shows a negative one.
pub fn cache_line(written: u64, hit: u64, saved: Option<Cost>) -> String {
    let saved = saved.map_or_else(
        || "saved unknown".to_owned(),
        |c| {
            let sign = if c.amount < 0.0 { "-" } else { "" };
            let abs = Cost {
                amount: c.amount.abs(),
                ..c
            };
            format!("saved {sign}{abs} net")
        },
    );
    format!("cache: wrote {written}, hit {hit} tokens, {saved}")
}

fn tier_of<'t>(tiers: &'t [Tier], usage: &Usage) -> Option<&'t Tier> {
    tiers
        .iter()
        .find(|t| t.up_to.is_none_or(|max| usage.prompt_tokens <= max))
}

/// The input tokens billed as cache hits and as cache writes (none in a batch job, which
/// gets no cache discount), never more than the input.
fn cache_split(usage: &Usage, batch: bool) -> (u64, u64) {
    if batch {
        return (0, 0);
    }
    let cached = usage.cached_tokens.min(usage.prompt_tokens);
    let written = usage.cache_write_tokens.min(usage.prompt_tokens - cached);
    (cached, written)
}

#[cfg(test)]
mod tests;
