//! One step's tool calls: each checked (a known tool, arguments that match its schema,
//! permission to run, which may mean asking), the allowed ones run a few at a time, and every
//! outcome, refusals and errors included, written to the audit trail in call order.

use std::io::{self, Write};

use futures_util::StreamExt as _;
use serde_json::Value;

use super::RunState;
use super::audit::{Audit, Permission};
use super::gate::Gate;
use crate::api::types::{Completion, ToolCall};
use crate::tools::{Outcome, Status, Tool, Toolbox};

/// Tool calls of one step that run at the same time, at most.
const MAX_PARALLEL: usize = 4;

/// Gives every call an id: some servers send none (or an empty one), and the tool message
/// must quote one.
pub(super) fn name_calls(step: u32, calls: &mut [ToolCall]) {
    for (i, call) in calls.iter_mut().enumerate() {
        if call.id.is_empty() {
            call.id = format!("call_{step}_{i}");
        }
    }
}

/// Records a reply that calls tools: its text, each call, and the step's usage.
pub(super) fn log_calls<W: Write>(
    audit: &mut Audit<W>,
    step: u32,
    completion: &Completion,
) -> io::Result<()> {
    audit.interim(&completion.text);
    for call in &completion.tool_calls {
        audit.tool_call(step, call)?;
    }
    if let Some(u) = &completion.usage {
        audit.usage(step, u)?;
    }
    Ok(())
}

/// What to do with one call.
enum Plan<'t> {
    Run(&'t Tool, Value, Permission),
    Skip(Outcome, Permission),
}

/// Checks one call: a known tool, arguments that match its schema, and permission to run
/// (which may mean asking).
async fn plan<'t>(toolbox: &'t Toolbox, gate: &mut Gate, call: &ToolCall) -> Plan<'t> {
    let offered = toolbox.get(&call.name).filter(|t| t.offered());
    let Some(tool) = offered else {
        // The names the model was offered, so that it can call one of them instead.
        let known: Vec<&str> = toolbox
            .tools()
            .iter()
            .filter(|t| t.offered())
            .map(|t| t.function.as_str())
            .collect();
        let error = format!(
            "there is no tool named `{}`; the tools are: {}",
            call.name,
            known.join(", ")
        );
        return Plan::Skip(
            Outcome::not_run(Status::UnknownTool, error),
            Permission::NotAsked,
        );
    };
    let value = match tool.check_arguments(&call.arguments) {
        Ok(value) => value,
        Err(problem) => {
            let error = format!(
                "invalid arguments for `{}`, so it was not run: {problem}",
                tool.name
            );
            return Plan::Skip(
                Outcome::not_run(Status::InvalidArguments, error),
                Permission::NotAsked,
            );
        }
    };
    match gate.decide(tool, &value).await {
        Some(permission) => Plan::Run(tool, value, permission),
        None => {
            let error = format!(
                "the user did not allow running `{}`, so it was not run",
                tool.name
            );
            Plan::Skip(
                Outcome::not_run(Status::Refused, error),
                Permission::Refused,
            )
        }
    }
}

/// Checks every call of a step, asks where needed, runs the allowed ones (a few at a time)
/// and returns the outcomes in call order.
pub(super) async fn run_calls<W: Write>(
    toolbox: &Toolbox,
    gate: &mut Gate,
    step: u32,
    calls: &[ToolCall],
    state: &mut RunState<'_, W>,
) -> anyhow::Result<Vec<Outcome>> {
    // Questions come first and one at a time, before anything runs.
    let mut plans = Vec::new();
    for call in calls {
        plans.push(plan(toolbox, gate, call).await);
    }

    let mut results: Vec<Option<Outcome>> = vec![None; calls.len()];
    let mut runnable = Vec::new();
    for (i, plan) in plans.into_iter().enumerate() {
        match plan {
            Plan::Skip(outcome, permission) => {
                state
                    .audit
                    .tool_result(step, &calls[i], &outcome, permission)?;
                results[i] = Some(outcome);
            }
            Plan::Run(tool, value, permission) => runnable.push((i, tool, value, permission)),
        }
    }
    let mut running = futures_util::stream::iter(runnable)
        .map(|(i, tool, value, permission)| async move {
            (i, permission, toolbox.call(tool, &value).await)
        })
        .buffer_unordered(MAX_PARALLEL);
    while let Some((i, permission, outcome)) = running.next().await {
        state
            .audit
            .tool_result(step, &calls[i], &outcome, permission)?;
        results[i] = Some(outcome);
    }
    Ok(results
        .into_iter()
        .map(|r| r.expect("every call has an outcome"))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_without_an_id_get_one() {
        let call = |id: &str| ToolCall {
            id: id.into(),
            name: "t".into(),
            arguments: "{}".into(),
        };
        let mut calls = [call("call_x"), call(""), call("")];
        name_calls(3, &mut calls);
        let ids: Vec<&str> = calls.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["call_x", "call_3_1", "call_3_2"]);
    }
}
