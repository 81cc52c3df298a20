//! The built-in price table: data, one line per model, with the source of each figure
//! where sources disagree.
//!
//! Sources: dashscope-protocol.md §8 and §6.1, which collects (as of 2026-07-02):
//! - International (Singapore), USD per 1M tokens: LiteLLM `model_prices_and_context_window`
//!   (`dashscope/*` entries, citing alibabacloud.com/help/en/model-studio/models), models.dev
//!   `providers/alibaba` (accessed 2026-06-25), and Alibaba's billing page (Apr 2025) for
//!   qwen-max/plus/turbo.
//! - Mainland China (Beijing), CNY per 1M tokens: help.aliyun.com "AI PaaS billing rules"
//!   (qwen-plus, qwen3-235b-a22b), the Qwen-Coder page (qwen3-coder-*), a parse of the
//!   Beijing console (qwen3-max, qwen-flash), and models.dev `alibaba-cn` (qwen-max, qwq-plus,
//!   qwen-long; marked unverified there).

use super::{ThinkingPrice, Tier};

const K: u64 = 1024;
const OPEN: Option<u64> = None;

const fn k(n: u64) -> Option<u64> {
    Some(n * K)
}

const fn tier(up_to: Option<u64>, input: f64, output: f64) -> Tier {
    Tier {
        up_to,
        input,
        output,
        thinking_output: ThinkingPrice::SameAsOutput,
        cached_input: None,
        cache_write: None,
        explicit_cached_input: None,
        audio_output: None,
    }
}

/// A tier with the explicit-cache prices a source gives (they match 10 % and 125 % where
/// published, but a published figure wins over a rule).
const fn explicit(mut t: Tier, read: f64, write: f64) -> Tier {
    t.explicit_cached_input = Some(read);
    t.cache_write = Some(write);
    t
}

/// A tier whose spoken output (Omni) has its own price.
const fn audio_out(mut t: Tier, price: f64) -> Tier {
    t.audio_output = Some(price);
    t
}

const fn thinking(mut t: Tier, price: ThinkingPrice) -> Tier {
    t.thinking_output = price;
    t
}

use ThinkingPrice::{Per1M, Unknown};

/// International (Singapore and other non-mainland hosts), USD per 1M tokens.
pub(super) const INTL: &[(&str, &[Tier])] = &[
    ("qwen-max", &[tier(OPEN, 1.6, 6.4)]),
    (
        "qwen3-max",
        &[
            tier(k(32), 1.2, 6.0),
            tier(k(128), 2.4, 12.0),
            tier(OPEN, 3.0, 15.0),
        ],
    ),
    (
        "qwen-plus",
        &[
            thinking(tier(k(256), 0.4, 1.2), Per1M(4.0)),
            thinking(tier(OPEN, 1.2, 3.6), Per1M(12.0)),
        ],
    ),
    ("qwen-turbo", &[thinking(tier(OPEN, 0.05, 0.2), Per1M(0.5))]),
    (
        "qwen-flash",
        &[tier(k(256), 0.05, 0.4), tier(OPEN, 0.25, 2.0)],
    ),
    (
        "qwen3-coder-plus",
        &[
            tier(k(32), 1.0, 5.0),
            tier(k(128), 1.8, 9.0),
            tier(k(256), 3.0, 15.0),
            tier(OPEN, 6.0, 60.0),
        ],
    ),
    (
        "qwen3-coder-flash",
        &[
            tier(k(32), 0.3, 1.5),
            tier(k(128), 0.5, 2.5),
            tier(k(256), 0.8, 4.0),
            tier(OPEN, 1.6, 9.6),
        ],
    ),
    ("qwq-plus", &[tier(OPEN, 0.8, 2.4)]),
    // Conflict: LiteLLM 0.15/1.2 (used), models.dev 0.5/2 (instruct) and 0.5/6 (thinking).
    ("qwen3-next-80b-a3b-instruct", &[tier(OPEN, 0.15, 1.2)]),
    ("qwen3-next-80b-a3b-thinking", &[tier(OPEN, 0.15, 1.2)]),
    (
        "qwen3-235b-a22b",
        &[thinking(tier(OPEN, 0.7, 2.8), Per1M(8.4))],
    ),
    (
        "qwen3.5-plus",
        &[tier(k(256), 0.4, 2.4), tier(OPEN, 0.5, 3.0)],
    ),
    // Cache read 0.05 and write 0.625 below 256K (models.dev, dashscope-protocol.md §8).
    (
        "qwen3.6-plus",
        &[
            explicit(tier(k(256), 0.5, 3.0), 0.05, 0.625),
            tier(OPEN, 2.0, 6.0),
        ],
    ),
    ("qwen3.6-flash", &[tier(OPEN, 0.1875, 1.125)]),
    // Only the tier below 128K is published.
    ("qwen3.6-max-preview", &[tier(k(128), 1.3, 7.8)]),
    // Conflict: the tier bound is 256K internationally, 128K in a Beijing record.
    (
        "qwen3.7-plus",
        &[tier(k(256), 0.5, 3.0), tier(OPEN, 2.0, 6.0)],
    ),
    ("qwen3.7-max", &[tier(OPEN, 2.5, 7.5)]),
    // Vision and Omni (research-wire.md §8: models.dev `providers/alibaba/models/*.toml`,
    // mid-2026 snapshot). Omni's audio input is dearer (3.81) than its text (0.43): the
    // table has one input price, so recordings are underestimated (unverified for qwen3).
    (
        "qwen3-vl-plus",
        &[
            tier(k(32), 0.2, 1.6),
            tier(k(128), 0.3, 2.4),
            tier(OPEN, 0.6, 4.8),
        ],
    ),
    (
        "qwen3-vl-flash",
        &[
            tier(k(32), 0.05, 0.4),
            tier(k(128), 0.075, 0.6),
            tier(OPEN, 0.12, 0.96),
        ],
    ),
    ("qwen-vl-max", &[tier(OPEN, 0.8, 3.2)]),
    // Audio output 15.11 (research-wire.md §8, models.dev mid-2026); the text of a
    // text+audio reply is billed at the text price here, though a 2025 CN page says only
    // the audio is billed then (unverified for qwen3).
    (
        "qwen3-omni-flash",
        &[audio_out(tier(OPEN, 0.43, 1.66), 15.11)],
    ),
    // Rerank bills input only (usage has a total alone): alibabacloud.com text-rerank-api
    // (Feb and Mar 2026) via research-wire §1.3; gte-rerank-v2 is listed for Beijing there.
    ("qwen3-rerank", &[tier(OPEN, 0.1, 0.0)]),
    ("gte-rerank-v2", &[tier(OPEN, 0.115, 0.0)]),
];

/// Mainland China (Beijing), CNY per 1M tokens.
pub(super) const MAINLAND: &[(&str, &[Tier])] = &[
    ("qwen-max", &[tier(OPEN, 2.4, 9.6)]),
    (
        "qwen3-max",
        &[
            tier(k(32), 2.5, 10.0),
            tier(k(128), 4.0, 16.0),
            tier(OPEN, 7.0, 28.0),
        ],
    ),
    (
        "qwen-plus",
        &[
            thinking(tier(k(128), 0.8, 2.0), Per1M(8.0)),
            thinking(tier(k(256), 2.4, 20.0), Per1M(24.0)),
            thinking(tier(OPEN, 4.8, 48.0), Per1M(64.0)),
        ],
    ),
    // Conflict below 128K: ¥0.15 input in the console (used), ¥0.2 on the AI PaaS page.
    (
        "qwen-flash",
        &[
            tier(k(128), 0.15, 1.5),
            tier(k(256), 0.6, 6.0),
            tier(OPEN, 1.2, 12.0),
        ],
    ),
    (
        "qwen3-coder-plus",
        &[
            tier(k(32), 4.0, 16.0),
            tier(k(128), 6.0, 24.0),
            tier(k(256), 10.0, 40.0),
            tier(OPEN, 20.0, 200.0),
        ],
    ),
    (
        "qwen3-coder-flash",
        &[
            tier(k(32), 1.0, 4.0),
            tier(k(128), 1.5, 6.0),
            tier(k(256), 2.5, 10.0),
            tier(OPEN, 5.0, 25.0),
        ],
    ),
    ("qwq-plus", &[tier(OPEN, 1.6, 4.0)]),
    // Qwen-Long page (2026-01-14, research-wire.md §3): ¥0.5 / ¥2 per 1M; `--doc`.
    ("qwen-long", &[tier(OPEN, 0.5, 2.0)]),
    // models.dev `alibaba-cn` $0.258/$0.989, audio out $8.974, × 7 (derived, unverified).
    ("qwen3-omni-flash", &[audio_out(tier(OPEN, 1.8, 6.9), 62.8)]),
    // research-wire.md §8: qwen-vl-plus from a parse of the Beijing console (secondary);
    // qwen3-vl-plus ≈ ¥1/¥10 derived from models.dev `alibaba-cn` (USD × 7, unverified).
    ("qwen-vl-plus", &[tier(OPEN, 0.8, 2.0)]),
    (
        "qwen3-vl-plus",
        &[
            tier(k(32), 1.0, 10.0),
            tier(k(128), 1.5, 15.0),
            tier(OPEN, 3.0, 30.0),
        ],
    ),
    (
        "qwen3-235b-a22b",
        &[thinking(tier(OPEN, 2.0, 8.0), Unknown)],
    ),
    // Rerank, input only: help.aliyun.com text-rerank-api (zh, Jan 2026) via research-wire
    // §1.3: qwen3-rerank ¥0.0005 / 1K, gte-rerank-v2 ¥0.0008 / 1K.
    ("qwen3-rerank", &[tier(OPEN, 0.5, 0.0)]),
    ("gte-rerank-v2", &[tier(OPEN, 0.8, 0.0)]),
];
