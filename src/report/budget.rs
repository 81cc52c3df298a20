//! `qwen usage --budget`: an amount with an optional currency, held against the window's
//! estimated spend (exit 7 when it is over).

use super::{Totals, render};
use crate::exit::{BudgetExceeded, Exit, UsageError};
use crate::prices::{Cost, Currency};
use crate::term::note;

/// Parses `5`, `5usd`, `30 CNY`, `$5` or `¥30`.
pub fn parse_budget(text: &str) -> anyhow::Result<(f64, Option<Currency>)> {
    let t = text.trim();
    let (symbol, rest) = if let Some(rest) = t.strip_prefix('$') {
        (Some(Currency::Usd), rest)
    } else if let Some(rest) = t.strip_prefix('¥') {
        (Some(Currency::Cny), rest)
    } else {
        (None, t)
    };
    let split = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let (number, code) = rest.split_at(split);
    let amount: Option<f64> = number
        .parse()
        .ok()
        .filter(|a: &f64| a.is_finite() && *a >= 0.0);
    let code = code.trim();
    let currency = if code.is_empty() {
        Ok(symbol)
    } else {
        Currency::parse(code).map(Some).ok_or(())
    };
    match (amount, currency) {
        (Some(amount), Ok(currency)) => Ok((amount, currency)),
        _ => Err(UsageError::new(
            format!("`--budget {text}` is not an amount"),
            Some("examples: `--budget 5`, `--budget 5usd`, `--budget 30cny`".into()),
        )
        .into()),
    }
}

/// Checks the window's estimated spend against a budget: a note on stderr (unless
/// `quiet`), or a failure with exit 7 when it is over.
pub fn check_budget(
    total: &Totals,
    (limit, currency): (f64, Option<Currency>),
    quiet: bool,
) -> anyhow::Result<Exit> {
    let spent: Vec<Cost> = total
        .cost
        .iter()
        .map(|(&currency, &amount)| Cost { amount, currency })
        .filter(|c| currency.is_none_or(|want| c.currency == want))
        .collect();
    let show_limit = |c: Currency| {
        Cost {
            amount: limit,
            currency: c,
        }
        .to_string()
    };
    if total.unpriced > 0 && !quiet {
        note(
            "warning",
            &format!(
                "{} call(s) of unknown price are not counted against the budget",
                total.unpriced
            ),
        );
    }
    if let Some(over) = spent.iter().find(|c| c.amount > limit) {
        return Err(BudgetExceeded(format!(
            "estimated spend {over} exceeds the budget of {}",
            show_limit(over.currency)
        ))
        .into());
    }
    if !quiet {
        let shown = if spent.is_empty() {
            "0".to_owned()
        } else {
            spent
                .iter()
                .map(Cost::to_string)
                .collect::<Vec<_>>()
                .join(" + ")
        };
        let budget = currency.map_or_else(|| render::amount_plain(limit), show_limit);
        note(
            "note",
            &format!("estimated spend {shown} is within the budget of {budget}"),
        );
    }
    Ok(Exit::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budgets_parse_with_and_without_currency() {
        assert_eq!(parse_budget("5").unwrap(), (5.0, None));
        assert_eq!(parse_budget("5usd").unwrap(), (5.0, Some(Currency::Usd)));
        assert_eq!(parse_budget("30 CNY").unwrap(), (30.0, Some(Currency::Cny)));
        assert_eq!(parse_budget("$0.5").unwrap(), (0.5, Some(Currency::Usd)));
        assert_eq!(parse_budget("¥30").unwrap(), (30.0, Some(Currency::Cny)));
        assert!(parse_budget("five").is_err());
        assert!(parse_budget("5eur").is_err());
    }
}
