//! The batch engine: inputs, items, results and the two routes (`local`, `remote`), paced
//! by `crate::pace` (bounded concurrency, rate limits, an adaptive limit that backs off on
//! throttling). `commands/batch.rs` only turns the command line into the options here.

pub mod dry_run;
pub mod inputs;
pub mod item;
pub mod journal;
pub mod local;
pub mod remote;
pub mod results;

use crate::validate::Schema;
use inputs::Template;
use item::{Defaults, ItemOptions};

/// What every item of a run is made from: the request defaults, the prompt template for
/// files, how inputs are read and requests retried, and the `--schema` replies must match.
pub struct Recipe {
    /// The request every item starts from.
    pub defaults: Defaults,
    /// The prompt template for files.
    pub template: Template,
    /// Reading and retry options.
    pub options: ItemOptions,
    /// The `--schema` replies are checked against.
    pub schema: Option<Schema>,
}

impl Recipe {
    /// Reads an input and builds its request (see [`item::plan`]).
    pub async fn plan(&self, input: inputs::Input) -> item::Plan {
        item::plan(&self.defaults, &self.template, &self.options, input).await
    }
}
