//! The documented ranges of request parameters, checked before anything is sent.
//!
//! DashScope refuses a value out of range with a 400 after the request has gone out; a NaN
//! or an infinity cannot even be written as JSON (serde_json sends `null`). Both are usage
//! errors here (exit 2), naming the flag or config key that set the value. Ranges are
//! dashscope-protocol.md §2.1's; they are OpenAI's too, except the seed's, which is checked
//! only on DashScope's hosts (local servers take wider seeds).

use serde_json::Value;

use super::ParamsConfig;
use crate::api::types::Params;
use crate::exit::UsageError;

/// The largest seed DashScope takes.
const MAX_SEED: u64 = (1 << 31) - 1;

/// Where a value came from, for the message.
fn origin(flag_set: bool, flag: &str, key: &str) -> String {
    if flag_set {
        format!("`--{flag}`")
    } else {
        format!("`{key}` in `[params]`")
    }
}

/// Checks every parameter the flags or the config file's `[params]` set.
pub(super) fn check(
    flags: &ParamsConfig,
    file: &ParamsConfig,
    dashscope: bool,
) -> Result<(), UsageError> {
    let float = |flag: Option<f64>,
                 file: Option<f64>,
                 name: &str,
                 ok: &dyn Fn(f64) -> bool,
                 range: &str|
     -> Result<(), UsageError> {
        let Some(value) = flag.or(file) else {
            return Ok(());
        };
        if value.is_finite() && ok(value) {
            return Ok(());
        }
        let flag_name = name.replace('_', "-");
        Err(UsageError::new(
            format!(
                "{} is `{value}`, outside {range}",
                origin(flag.is_some(), &flag_name, name)
            ),
            None,
        ))
    };
    float(
        flags.temperature,
        file.temperature,
        "temperature",
        &|t| (0.0..2.0).contains(&t),
        "[0, 2)",
    )?;
    float(
        flags.top_p,
        file.top_p,
        "top_p",
        &|p| p > 0.0 && p <= 1.0,
        "(0, 1]",
    )?;
    float(
        flags.presence_penalty,
        file.presence_penalty,
        "presence_penalty",
        &|p| (-2.0..=2.0).contains(&p),
        "[-2, 2]",
    )?;
    float(
        flags.repetition_penalty,
        file.repetition_penalty,
        "repetition_penalty",
        &|p| p > 0.0,
        "(0, ∞) (1.0 is no penalty)",
    )?;
    let positive = |flag: Option<u32>, file: Option<u32>, name: &str| match flag.or(file) {
        Some(0) => Err(UsageError::new(
            format!(
                "{} is `0`; it must be at least 1",
                origin(flag.is_some(), &name.replace('_', "-"), name)
            ),
            None,
        )),
        _ => Ok(()),
    };
    positive(flags.max_tokens, file.max_tokens, "max_tokens")?;
    positive(
        flags.thinking_budget,
        file.thinking_budget,
        "thinking_budget",
    )?;
    if dashscope && let Some(seed) = flags.seed.or(file.seed).filter(|s| *s > MAX_SEED) {
        return Err(UsageError::new(
            format!(
                "{} is `{seed}`, outside DashScope's [0, {MAX_SEED}]",
                origin(flags.seed.is_some(), "seed", "seed")
            ),
            None,
        ));
    }
    Ok(())
}

/// Returns a warning for each `--extra` field that replaces a value `qwen` sends from a
/// flag, the config file or itself (the model, streaming): the extra wins, which is its
/// purpose, but silently overriding `--temperature 0.2` is rarely what was meant.
pub(super) fn extra_overrides(params: &Params, flags: &ParamsConfig) -> Vec<String> {
    let set: [(&str, bool, &str); 14] = [
        ("model", true, "`--model`"),
        ("stream", true, "streaming (`--no-stream`)"),
        (
            "temperature",
            params.temperature.is_some(),
            "`--temperature`",
        ),
        ("top_p", params.top_p.is_some(), "`--top-p`"),
        ("top_k", params.top_k.is_some(), "`--top-k`"),
        ("max_tokens", params.max_tokens.is_some(), "`--max-tokens`"),
        ("seed", params.seed.is_some(), "`--seed`"),
        ("stop", !params.stop.is_empty(), "`--stop`"),
        (
            "presence_penalty",
            params.presence_penalty.is_some(),
            "`--presence-penalty`",
        ),
        (
            "repetition_penalty",
            params.repetition_penalty.is_some(),
            "`--repetition-penalty`",
        ),
        (
            "enable_thinking",
            params.enable_thinking.is_some(),
            "`--think` / `--no-think`",
        ),
        (
            "thinking_budget",
            params.thinking_budget.is_some(),
            "`--thinking-budget`",
        ),
        (
            "enable_search",
            params.enable_search.is_some(),
            "`--search`",
        ),
        (
            "response_format",
            flags.json || flags.schema.is_some(),
            "`--json` / `--schema`",
        ),
    ];
    params
        .extra
        .iter()
        .filter_map(|(key, value): (&String, &Value)| {
            let (_, _, what) = set.iter().find(|(name, on, _)| name == key && *on)?;
            Some(format!(
                "`--extra {key}={value}` overrides the value of {what} (or the config file's)"
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags() -> ParamsConfig {
        ParamsConfig::default()
    }

    #[test]
    fn out_of_range_and_non_finite_values_are_refused_naming_their_source() {
        let mut f = flags();
        f.temperature = Some(f64::NAN);
        let err = check(&f, &ParamsConfig::default(), false).unwrap_err();
        assert_eq!(err.message, "`--temperature` is `NaN`, outside [0, 2)");
        f.temperature = Some(2.0);
        assert!(check(&f, &ParamsConfig::default(), false).is_err());
        f.temperature = Some(1.99);
        assert!(check(&f, &ParamsConfig::default(), false).is_ok());

        let file = ParamsConfig {
            top_p: Some(f64::INFINITY),
            ..Default::default()
        };
        let err = check(&flags(), &file, false).unwrap_err();
        assert_eq!(
            err.message,
            "`top_p` in `[params]` is `inf`, outside (0, 1]"
        );
        let file = ParamsConfig {
            top_p: Some(0.0),
            ..Default::default()
        };
        assert!(check(&flags(), &file, false).is_err());

        let mut f = flags();
        f.presence_penalty = Some(-2.5);
        assert!(check(&f, &ParamsConfig::default(), false).is_err());
        let mut f = flags();
        f.repetition_penalty = Some(0.0);
        assert!(check(&f, &ParamsConfig::default(), false).is_err());
        let mut f = flags();
        f.max_tokens = Some(0);
        assert!(check(&f, &ParamsConfig::default(), false).is_err());
    }

    #[test]
    fn the_seed_range_is_dashscopes_only() {
        let mut f = flags();
        f.seed = Some(1 << 40);
        assert!(check(&f, &ParamsConfig::default(), false).is_ok());
        assert!(check(&f, &ParamsConfig::default(), true).is_err());
    }

    #[test]
    fn extra_overriding_a_set_value_warns() {
        let mut params = Params {
            temperature: Some(0.2),
            ..Default::default()
        };
        params.extra.insert("temperature".into(), 1.5.into());
        params.extra.insert("n".into(), 2.into());
        params.extra.insert("top_p".into(), 0.5.into());
        let warnings = extra_overrides(&params, &flags());
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("`--temperature`"), "{warnings:?}");
        params.extra.insert("model".into(), "x".into());
        assert_eq!(extra_overrides(&params, &flags()).len(), 2);
    }
}
