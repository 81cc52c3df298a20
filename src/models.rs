//! The built-in model catalogue: context windows, output limits and thinking behaviour.
//!
//! Figures from dashscope-protocol.md §8 (LiteLLM and models.dev tables citing Alibaba's
//! model pages, accessed 2026-06-25). Where sources conflict, the smaller window is used, so
//! history trimming errs on the side of a request the API accepts.

/// How a model thinks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Thinking {
    /// Never reasons.
    None,
    /// Can reason; off unless `enable_thinking` is sent.
    HybridOff,
    /// Can reason; on unless `enable_thinking: false` is sent.
    HybridOn,
    /// Always reasons.
    Only,
}

/// What the catalogue knows of a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelInfo {
    /// The model name.
    pub name: &'static str,
    /// Context window in tokens.
    pub context: u64,
    /// Maximum input tokens.
    pub max_input: u64,
    /// Maximum output tokens.
    pub max_output: u64,
    /// Thinking behaviour.
    pub thinking: Thinking,
}

const fn m(
    name: &'static str,
    context: u64,
    max_input: u64,
    max_output: u64,
    thinking: Thinking,
) -> ModelInfo {
    ModelInfo {
        name,
        context,
        max_input,
        max_output,
        thinking,
    }
}

use crate::media::Kind;
use Thinking::{HybridOff, HybridOn, None as NoThinking, Only};

/// The catalogue, most specific names first where one is a prefix of another.
pub const CATALOGUE: &[ModelInfo] = &[
    m("qwen3-max-preview", 262_144, 258_048, 65_536, HybridOff),
    m("qwen3-max", 262_144, 258_048, 65_536, NoThinking),
    m("qwen-max", 32_768, 30_720, 8_192, NoThinking),
    m("qwen-plus", 1_000_000, 997_952, 32_768, HybridOff),
    m("qwen-turbo", 1_000_000, 1_000_000, 16_384, HybridOff),
    m("qwen-flash", 1_000_000, 997_952, 32_768, HybridOff),
    m("qwen3-coder-plus", 1_048_576, 997_952, 65_536, NoThinking),
    m("qwen3-coder-flash", 1_000_000, 997_952, 65_536, NoThinking),
    // `qwen complete`'s default: the model `/completions` serves (Alibaba's qwen-coder-turbo
    // page: 131,072 context, 129,024 input, 8,192 output).
    m("qwen-coder-turbo", 131_072, 129_024, 8_192, NoThinking),
    m("qwq-plus", 131_072, 98_304, 8_192, Only),
    m("qwen-long", 10_000_000, 10_000_000, 8_192, NoThinking),
    m(
        "qwen3-next-80b-a3b-instruct",
        131_072,
        129_024,
        32_768,
        NoThinking,
    ),
    m(
        "qwen3-next-80b-a3b-thinking",
        131_072,
        129_024,
        32_768,
        Only,
    ),
    m("qwen3-235b-a22b", 131_072, 129_024, 16_384, HybridOn),
    m("qwen3.5-plus", 1_000_000, 991_808, 65_536, HybridOn),
    m("qwen3.5-flash", 1_000_000, 983_616, 65_536, HybridOn),
    m("qwen3.6-plus", 1_000_000, 991_800, 65_536, HybridOn),
    m("qwen3.6-flash", 1_000_000, 983_616, 65_536, HybridOn),
    m("qwen3.6-max-preview", 262_144, 258_048, 65_536, HybridOn),
    m("qwen3.7-plus", 1_000_000, 983_616, 65_536, HybridOn),
    m("qwen3.7-max", 1_000_000, 983_616, 65_536, HybridOn),
    // Vision and Omni models (Alibaba's vision and qwen-omni pages via models.dev
    // `providers/alibaba/models/*.toml`, mid-2026).
    m("qwen3-vl-plus", 262_144, 258_048, 32_768, HybridOff),
    m("qwen3-vl-flash", 262_144, 258_048, 32_768, HybridOff),
    m("qwen-vl-max", 131_072, 129_024, 8_192, NoThinking),
    m("qwen-vl-plus", 131_072, 129_024, 8_192, NoThinking),
    m("qwen3-omni-flash", 65_536, 49_152, 16_384, HybridOff),
];

/// What the catalogue knows of a rerank model (research-wire §1.3, Alibaba's text-rerank
/// pages of Jan–Mar 2026).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RerankModel {
    /// The model name.
    pub name: &'static str,
    /// Documents per request at most.
    pub max_documents: usize,
    /// Tokens of one document (or the query) that count; longer ones are truncated.
    pub max_document_tokens: u64,
    /// Tokens per request at most: query tokens × documents + document tokens.
    pub max_request_tokens: u64,
}

/// The rerank models. qwen3-rerank's request cap is a conflict in the sources (120,000 on the
/// international page of Mar 2026, 30,000 on the Chinese pages of Jan 2026): the smaller is
/// used, and `rerank_max_request_tokens` in config.toml overrides it.
pub const RERANK_MODELS: &[RerankModel] = &[
    RerankModel {
        name: "qwen3-rerank",
        max_documents: 500,
        max_document_tokens: 4_000,
        max_request_tokens: 30_000,
    },
    RerankModel {
        name: "gte-rerank-v2",
        max_documents: 500,
        max_document_tokens: 4_000,
        max_request_tokens: 30_000,
    },
    RerankModel {
        name: "qwen3-vl-rerank",
        max_documents: 100,
        max_document_tokens: 8_000,
        max_request_tokens: 120_000,
    },
];

/// Finds a rerank model by name (a dated snapshot shares its family's limits).
pub fn rerank_model(name: &str) -> Option<&'static RerankModel> {
    RERANK_MODELS.iter().find(|m| {
        name == m.name
            || name
                .strip_prefix(m.name)
                .is_some_and(|rest| rest.starts_with('-'))
    })
}

/// Models that take explicit prompt-cache markers (`cache_control`), by exact name: the
/// stable versions listed on Alibaba's context-cache page (2026; research-wire.md §4,
/// dashscope-protocol.md §11.5). Dated snapshots and `-latest` aliases are not supported.
pub const EXPLICIT_CACHE: &[&str] = &[
    "qwen3-max",
    "qwen-plus",
    "qwen-flash",
    "qwen3-coder-plus",
    "qwen3-coder-flash",
    "qwen3.5-plus",
    "qwen3.5-flash",
    "qwen3.6-plus",
    "qwen3.6-flash",
    "qwen3-vl-plus",
    "deepseek-v3.2",
    "kimi-k2.5",
];

/// Whether `name` takes explicit prompt-cache markers: `Some(true)` for a listed model,
/// `Some(false)` for one the catalogue knows (a snapshot of a listed one included) that is
/// not listed, `None` for a model nothing here knows.
pub fn explicit_cache(name: &str) -> Option<bool> {
    if EXPLICIT_CACHE.contains(&name) {
        Some(true)
    } else if lookup(name).is_some() {
        Some(false)
    } else {
        None
    }
}

/// What a model takes besides text (`--attach`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Modalities {
    /// Images (and video given as frames).
    pub image: bool,
    /// Video files and URLs.
    pub video: bool,
    /// Recordings.
    pub audio: bool,
}

impl Modalities {
    /// Text only.
    pub const TEXT: Modalities = Modalities {
        image: false,
        video: false,
        audio: false,
    };

    /// True when the model takes `kind`.
    pub fn takes(self, kind: Kind) -> bool {
        match kind {
            Kind::Image => self.image,
            Kind::Video => self.video,
            Kind::Audio => self.audio,
        }
    }
}

const VISION: Modalities = Modalities {
    image: true,
    video: true,
    audio: false,
};
const OMNI: Modalities = Modalities {
    image: true,
    video: true,
    audio: true,
};
const HEARING: Modalities = Modalities {
    image: false,
    video: false,
    audio: true,
};

/// Input modalities beyond text, keyed like [`CATALOGUE`] (exact name, else the longest
/// name a snapshot starts with). A catalogue model missing here takes text only; a name in
/// neither list is unknown and sent as asked. Sources: Alibaba's vision, qwen-omni and
/// Qwen3.5 pages (dashscope-protocol.md §8, §11; Qwen3.5+ have vision built in).
pub const INPUT_MODALITIES: &[(&str, Modalities)] = &[
    ("qwen3-vl-plus", VISION),
    ("qwen3-vl-flash", VISION),
    ("qwen-vl-max", VISION),
    ("qwen-vl-plus", VISION),
    ("qvq-max", VISION),
    ("qvq-plus", VISION),
    ("qwen3-omni-flash", OMNI),
    ("qwen-omni-turbo", OMNI),
    ("qwen3-asr-flash", HEARING),
    ("qwen3.5-plus", VISION),
    ("qwen3.5-flash", VISION),
    ("qwen3.6-plus", VISION),
    ("qwen3.6-flash", VISION),
    ("qwen3.6-max-preview", VISION),
    ("qwen3.7-plus", VISION),
    ("qwen3.7-max", VISION),
];

/// Models that answer only streamed requests (Omni, QVQ: "This model only support stream
/// mode", dashscope-protocol.md §2.1 and §11.1), keyed like [`CATALOGUE`].
pub const STREAM_ONLY: &[&str] = &["qwen3-omni-flash", "qwen-omni-turbo", "qvq-max", "qvq-plus"];

/// Voices of the models that speak (`--audio-out`, `--voice`), keyed like [`CATALOGUE`]; a
/// catalogue model missing here does not speak. Source: Alibaba's Qwen-Omni page (2026,
/// research-wire.md §2); the first voice of each list is the default (`Cherry`).
pub const VOICES: &[(&str, &[&str])] = &[
    ("qwen3-omni-flash", OMNI_FLASH_VOICES),
    ("qwen3-omni-flash-2025-09-15", OMNI_FLASH_VOICES),
    ("qwen3-omni-flash-2025-12-01", OMNI_FLASH_2512_VOICES),
    ("qwen-omni-turbo", &["Cherry", "Serena", "Ethan", "Chelsie"]),
];

const OMNI_FLASH_VOICES: &[&str] = &[
    "Cherry", "Ethan", "Nofish", "Jennifer", "Ryan", "Katerina", "Elias", "Jada", "Dylan", "Sunny",
    "Li", "Marcus", "Roy", "Peter", "Rocky", "Kiki", "Eric",
];

const OMNI_FLASH_2512_VOICES: &[&str] = &[
    "Cherry", "Ethan", "Nofish", "Jennifer", "Ryan", "Katerina", "Elias", "Jada", "Dylan", "Sunny",
    "Li", "Marcus", "Roy", "Peter", "Rocky", "Kiki", "Eric", "Serena", "Chelsie", "Momo", "Vivian",
    "Moon", "Maia", "Kai", "Bella", "Aiden", "Mia", "Mochi", "Bellona", "Vincent", "Bunny", "Neil",
    "Arthur", "Nini", "Ebona", "Seren", "Pip", "Stella", "Bodega", "Sonrisa", "Alek", "Dolce",
    "Sohee", "Lenn", "Emilien", "Andre",
];

/// Whether `name` speaks: its voices, `Some(&[])` for a catalogue model that does not
/// speak, `None` for a model the catalogue does not know (sent as asked).
pub fn voices(name: &str) -> Option<&'static [&'static str]> {
    keyed(VOICES, name)
        .copied()
        .or_else(|| lookup(name).map(|_| &[][..]))
}

/// Finds `name` in a list keyed like the catalogue: the exact name, else the longest key
/// it starts with followed by `-` (a dated snapshot, `-latest`).
fn keyed<'a, T>(list: &'a [(&'static str, T)], name: &str) -> Option<&'a T> {
    list.iter()
        .find(|(key, _)| *key == name)
        .or_else(|| {
            list.iter()
                .filter(|(key, _)| {
                    name.strip_prefix(key)
                        .is_some_and(|rest| rest.starts_with('-'))
                })
                .max_by_key(|(key, _)| key.len())
        })
        .map(|(_, v)| v)
}

/// What `name` takes: `None` for a model the catalogue does not know.
pub fn input_modalities(name: &str) -> Option<Modalities> {
    keyed(INPUT_MODALITIES, name)
        .copied()
        .or_else(|| lookup(name).map(|_| Modalities::TEXT))
}

/// True for a model that answers only streamed requests.
pub fn stream_only(name: &str) -> bool {
    let list: Vec<(&str, ())> = STREAM_ONLY.iter().map(|n| (*n, ())).collect();
    keyed(&list, name).is_some()
}

/// Finds a model by exact name, else by the longest catalogue name it starts with
/// (dated snapshots such as `qwen-plus-2025-07-28` share their family's limits).
pub fn lookup(name: &str) -> Option<&'static ModelInfo> {
    CATALOGUE.iter().find(|m| m.name == name).or_else(|| {
        CATALOGUE
            .iter()
            .filter(|m| {
                name.strip_prefix(m.name)
                    .is_some_and(|rest| rest.starts_with('-'))
            })
            .max_by_key(|m| m.name.len())
    })
}

/// Returns the catalogue model `name` is a near miss of (a typo, the wrong case), if any.
///
/// Used only after the endpoint said the model does not exist: a name the catalogue does
/// not know may be a perfectly good local or new model, so nothing is suggested up front.
pub fn suggest(name: &str) -> Option<&'static str> {
    if lookup(name).is_some() {
        return None;
    }
    let wanted = name.to_ascii_lowercase();
    CATALOGUE
        .iter()
        .map(|m| (strsim::damerau_levenshtein(&wanted, m.name), m.name))
        .filter(|(distance, candidate)| *distance <= 2.max(candidate.len() / 6))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Estimates the tokens of a text without a tokenizer: about four ASCII characters per
/// token, one token per other character (CJK text runs close to that). It overestimates
/// rather than under, since its only use is keeping a request inside the context window.
pub fn estimate_tokens(text: &str) -> u64 {
    let (ascii, other) = text.chars().fold((0u64, 0u64), |(a, o), c| {
        if c.is_ascii() { (a + 1, o) } else { (a, o + 1) }
    });
    ascii.div_ceil(4) + other
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_by_name_and_snapshot() {
        assert_eq!(lookup("qwen-max").unwrap().max_input, 30_720);
        assert_eq!(lookup("qwen-plus-2025-07-28").unwrap().name, "qwen-plus");
        assert_eq!(lookup("qwen3-max-preview").unwrap().thinking, HybridOff);
        assert_eq!(lookup("qwen3-max-2026-01-23").unwrap().name, "qwen3-max");
        assert!(lookup("qwen-plusplus").is_none());
        assert!(lookup("gemma-3-270m").is_none());
    }

    #[test]
    fn near_misses_of_catalogue_names_are_suggested() {
        assert_eq!(suggest("qwen-plsu"), Some("qwen-plus"));
        assert_eq!(suggest("Qwen-Max"), Some("qwen-max"));
        assert_eq!(suggest("qwen3-coder-pluss"), Some("qwen3-coder-plus"));
        assert_eq!(suggest("qwen-plus"), None, "a known model");
        assert_eq!(suggest("qwen-plus-2025-07-28"), None, "a snapshot");
        assert_eq!(suggest("llama-3.1-8b"), None);
        assert_eq!(suggest("qwen3:8b"), None);
    }

    #[test]
    fn explicit_cache_support_by_exact_name() {
        assert_eq!(explicit_cache("qwen-plus"), Some(true));
        assert_eq!(explicit_cache("qwen3-vl-plus"), Some(true));
        assert_eq!(explicit_cache("qwen-plus-2025-07-28"), Some(false));
        assert_eq!(explicit_cache("qwen-max"), Some(false));
        assert_eq!(explicit_cache("llama-3.1-8b"), None);
    }

    #[test]
    fn modalities_come_from_their_own_table() {
        let vl = input_modalities("qwen3-vl-plus-2025-09-23").unwrap();
        assert!(vl.takes(Kind::Image) && vl.takes(Kind::Video) && !vl.takes(Kind::Audio));
        assert!(
            input_modalities("qwen3-omni-flash")
                .unwrap()
                .takes(Kind::Audio)
        );
        assert_eq!(input_modalities("qwen-plus"), Some(Modalities::TEXT));
        assert!(input_modalities("qwen3.6-plus").unwrap().takes(Kind::Image));
        assert_eq!(input_modalities("llava:7b"), None);
        assert!(stream_only("qwen3-omni-flash-2025-12-01"));
        assert!(!stream_only("qwen3-vl-plus"));
        assert!(
            voices("qwen3-omni-flash-2025-12-01")
                .unwrap()
                .contains(&"Momo")
        );
        assert!(!voices("qwen3-omni-flash").unwrap().contains(&"Momo"));
        assert_eq!(voices("qwen-plus"), Some(&[][..]));
        assert_eq!(voices("llava:7b"), None);
        for (name, _) in INPUT_MODALITIES {
            assert!(!name.is_empty());
        }
    }

    #[test]
    fn estimates_err_high() {
        assert_eq!(estimate_tokens("abcd"), 1);
        assert_eq!(estimate_tokens("你好"), 2);
    }
}
