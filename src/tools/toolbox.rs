//! The [`Toolbox`]: every tool from the tool files and the MCP servers, loaded and checked
//! once (names unique, names the model APIs take), called by name, and shut down.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Kind, Outcome, Sources, Tool, compile_schema, defs, exec, mcp};
use crate::api::types::ToolSpec;
use crate::exit::ConfigError;
use crate::term::{note, printable};

/// Every tool of a run, and the MCP servers behind some of them.
pub struct Toolbox {
    tools: Vec<Tool>,
    pub(super) servers: Vec<mcp::Server>,
}

/// Reads the tool files and starts the MCP servers ([`Toolbox::load`]), with each warning a
/// note on stderr unless `sources.quiet`.
pub async fn load(sources: &Sources) -> anyhow::Result<Toolbox> {
    let quiet = sources.quiet;
    Toolbox::load(sources, &mut |warning| {
        if !quiet {
            note("warning", &warning);
        }
    })
    .await
}

impl Toolbox {
    /// Reads the tool files and starts the MCP servers; any invalid definition is an error
    /// naming its file and tool, unknown keys are warnings.
    pub async fn load(sources: &Sources, warn: &mut dyn FnMut(String)) -> anyhow::Result<Self> {
        let mut tools = Vec::new();
        let mut servers_defs = Vec::new();
        for (path, required) in sources
            .default_file
            .iter()
            .map(|p| (p, false))
            .chain(sources.files.iter().map(|p| (p, true)))
        {
            if let Some(file) = defs::load_file(path, required, warn)? {
                tools.extend(file.tools);
                servers_defs.extend(file.mcp);
            }
        }
        let config_file = sources.config_dir.join("config.toml");
        for (i, config) in sources.mcp_config.iter().enumerate() {
            servers_defs.push(defs::mcp_def(config, &config_file, i)?);
        }
        for arg in &sources.mcp_args {
            servers_defs.push(defs::mcp_from_arg(arg)?);
        }
        let mut names: BTreeMap<String, String> = BTreeMap::new();
        for def in &servers_defs {
            if let Some(first) = names.insert(def.name.clone(), def.origin.clone()) {
                return Err(ConfigError(format!(
                    "two MCP servers are named `{}` (`{first}` and `{}`): give one another `name`",
                    def.name, def.origin
                ))
                .into());
            }
        }

        let mut toolbox = Toolbox {
            tools: Vec::new(),
            servers: Vec::new(),
        };
        for def in tools {
            toolbox.add(def)?;
        }
        for def in servers_defs {
            let server = mcp::Server::start(&def, sources.quiet).await?;
            let index = toolbox.servers.len();
            for tool in server.list_tools().await? {
                let name = format!("{}.{}", def.name, tool.name);
                let function = defs::mcp_function(&def.name, &tool.name);
                // A name the provider would refuse fails the whole request, and a server's
                // name may hold anything, terminal escapes included: skip it, shown escaped.
                let parameters = Value::Object((*tool.input_schema).clone());
                let checked = defs::check_mcp_name(&function, &tool.name)
                    .and_then(|()| toolbox.check_free(&name, &function))
                    .and_then(|()| compile_schema(&parameters));
                let validator = match checked {
                    Ok(v) => v,
                    Err(e) => {
                        warn(format!("MCP tool `{}` skipped: {e}", printable(&name)));
                        continue;
                    }
                };
                toolbox.add(Tool {
                    description: tool.description.as_deref().unwrap_or_default().to_owned(),
                    parameters,
                    allow: def.allow,
                    source: def.origin.clone(),
                    kind: Kind::Mcp {
                        server: index,
                        remote: tool.name.to_string(),
                    },
                    task_support: server.task_support(&tool.name),
                    validator,
                    name,
                    function,
                })?;
            }
            toolbox.servers.push(server);
        }
        Ok(toolbox)
    }

    /// Checks that no tool has the name or model name of the MCP tool `name`: two MCP tools
    /// can map to one model name (`a.b` and `a_b` are both `server__a_b`), and a tool file
    /// may hold a `server__tool` of its own.
    fn check_free(&self, name: &str, function: &str) -> Result<(), String> {
        match self
            .tools
            .iter()
            .find(|t| t.name == name || t.function == function || t.name == function)
        {
            Some(other) => Err(format!(
                "the model would call it `{function}`, as `{}` (from `{}`)",
                printable(&other.name),
                other.source
            )),
            None => Ok(()),
        }
    }

    fn add(&mut self, tool: Tool) -> Result<(), ConfigError> {
        if let Some(first) = self.tools.iter().find(|t| t.name == tool.name) {
            return Err(ConfigError(format!(
                "duplicate tool `{}`: defined in `{}` and in `{}`",
                tool.name, first.source, tool.source
            )));
        }
        self.tools.push(tool);
        Ok(())
    }

    /// Returns every tool, in definition order.
    pub fn tools(&self) -> &[Tool] {
        &self.tools
    }

    /// Finds a tool by either of its names: the model's (`server__tool`) or people's
    /// (`server.tool`).
    pub fn get(&self, name: &str) -> Option<&Tool> {
        self.tools
            .iter()
            .find(|t| t.function == name)
            .or_else(|| self.tools.iter().find(|t| t.name == name))
    }

    /// Returns the functions to offer the model (under their model names), leaving out the
    /// tools it is not offered ([`Tool::offered`]).
    pub fn specs(&self) -> Vec<ToolSpec> {
        self.tools
            .iter()
            .filter(|t| t.offered())
            .map(|t| ToolSpec {
                name: t.function.clone(),
                description: t.description.clone(),
                parameters: t.parameters.clone(),
            })
            .collect()
    }

    /// Runs a tool with checked arguments.
    pub async fn call(&self, tool: &Tool, arguments: &Value) -> Outcome {
        match &tool.kind {
            Kind::Command(spec) => exec::run(&tool.name, spec, &arguments.to_string()).await,
            Kind::Mcp { server, remote } => self.servers[*server].call(remote, arguments).await,
        }
    }

    /// Says on stderr which tools the model is not offered, and why.
    pub fn note_not_offered(&self) {
        for tool in self.tools().iter().filter(|t| !t.offered()) {
            note(
                "note",
                &format!(
                    "MCP tool `{}` is not offered to the model: it must run as an MCP task, which `qwen` does not support",
                    printable(&tool.name)
                ),
            );
        }
    }

    /// Stops the MCP servers (dropping the toolbox kills them too, less politely).
    pub async fn shutdown(self) {
        for server in self.servers {
            server.shutdown().await;
        }
    }
}
