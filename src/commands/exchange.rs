//! One exchange of `qwen chat`, and the conversation it belongs to: what a one-shot
//! `qwen chat` does once and the interactive loop does at every prompt, through the same
//! code (the request, the response cache, Ctrl-C, the ledger rows and the saved messages).

use std::io::Write;
use std::time::Duration;

use crate::api::Client;
use crate::api::media::Part;
use crate::api::turn::{self, TurnError};
use crate::api::types::{ChatRequest, Message, Role};
use crate::attach;
use crate::cache::{self, Cache};
use crate::config::{CachePrompt, ParamsConfig, Settings};
use crate::conversation::{
    Session, build_messages, exchange, exchange_messages, overlay, params_json,
};
use crate::docs::{self, Doc};
use crate::exit::UsageError;
use crate::ledger::LazyStore;
use crate::output::Renderer;
use crate::output::live::ChatObserver;
use crate::prompt_cache;
use crate::store::{ExchangeMeta, Store};
use crate::term::note;
use crate::units::format_duration;
use crate::validate::{self, Schema};

use super::common::{
    chat_endpoint, check_before_sending, mark_unfinished, print_sources, request_failed, usage_line,
};
use crate::args::SearchArgs;
use crate::output::Format;

/// How long an earlier upload must stay valid to be reused for one request.
const UPLOAD_MARGIN: Duration = Duration::from_secs(3600);

/// What a conversation is opened with (the command line, in the engine's terms).
pub struct Opening<'a> {
    /// `-c`: the most recent conversation.
    pub continue_last: bool,
    /// `--session NAME|ID`.
    pub session: Option<&'a str>,
    /// `--max-history`.
    pub max_history: Option<usize>,
    /// Save the exchanges (`--no-save` and `save_conversations = false` turn it off).
    pub save: bool,
    /// The request parameters the command line set.
    pub flags: ParamsConfig,
    /// `-s` / `--system-file` / the profile's system prompt.
    pub system: Option<String>,
    /// `--fallback-model`s.
    pub fallbacks: Vec<String>,
    /// The response cache, as asked for.
    pub cache: cache::Asked,
    /// `--no-stream`.
    pub no_stream: bool,
    /// `--usage`.
    pub usage: bool,
    /// `--cache-prompt`: what the explicit prompt cache marks.
    pub cache_prompt: CachePrompt,
    /// `--search`, `--sources`: web search, and its sources over the native protocol.
    pub search: SearchArgs,
    /// `--high-resolution`: images at their full resolution.
    pub high_resolution: bool,
}

/// A conversation under way: its model, system prompt and parameters, its messages so far
/// and where they are saved.
pub struct Chat<'s> {
    pub settings: &'s Settings,
    /// The model the next exchange asks.
    pub model: String,
    /// Whether that model was chosen (`-m`, `/model`): media then never switch it.
    pub model_given: bool,
    /// The system prompt to send (else the conversation's own).
    pub system: Option<String>,
    /// The request parameters (the command line's over the conversation's).
    pub flags: ParamsConfig,
    max_history: Option<usize>,
    save: bool,
    fallbacks: Vec<String>,
    cache: Option<Cache>,
    no_stream: bool,
    usage: bool,
    cache_prompt: CachePrompt,
    search: SearchArgs,
    high_resolution: bool,
    /// `--doc`: the `fileid://` reference every request carries, and the documents' names.
    docs: Option<(String, Vec<String>)>,
    client: Option<Client>,
    store: LazyStore<'s>,
    /// The saved conversation's id, once there is one.
    pub id: Option<i64>,
    /// The name a new conversation is saved under.
    pub name: Option<String>,
    history: Vec<Message>,
    /// Token totals of this process's exchanges: prompts, input, output.
    pub totals: (u64, u64, u64),
}

/// How an exchange ended, when it did not fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The reply is complete.
    Answered,
    /// Ctrl-C cut it short; what arrived is kept.
    Interrupted,
}

impl<'s> Chat<'s> {
    /// Opens the conversation to continue (`-c`, `--session`), or a new one: with its own
    /// model unless `-m` was typed (a note says when that changes it), and its own
    /// parameters under the command line's.
    pub fn open(settings: &'s Settings, opening: Opening<'_>) -> anyhow::Result<Self> {
        let session = if opening.continue_last || opening.session.is_some() {
            Some(Session::open(
                &settings.data_dir,
                opening.session,
                settings.quiet,
            )?)
        } else {
            None
        };
        let mut model = settings.model.clone();
        let mut flags = opening.flags;
        let (store, id, name, history) = match session {
            Some(s) => {
                if let Some(own) = &s.model {
                    if !settings.model_typed {
                        model = own.clone();
                    } else if own != &settings.model && !settings.quiet {
                        note(
                            "note",
                            &format!(
                                "the conversation used `{own}`; `--model` switches it to `{}`",
                                settings.model
                            ),
                        );
                    }
                }
                if let Some(saved) = &s.params {
                    flags = overlay(&flags, saved);
                }
                (
                    LazyStore::new(settings, Some(s.store)),
                    s.id,
                    s.name,
                    s.history,
                )
            }
            None => (LazyStore::new(settings, None), None, None, Vec::new()),
        };
        Ok(Self {
            settings,
            model,
            model_given: settings.model_given,
            system: opening.system,
            flags,
            max_history: opening.max_history,
            save: opening.save && settings.save_conversations,
            fallbacks: settings.fallbacks(&opening.fallbacks),
            cache: Cache::resolve(settings, &opening.cache)?,
            no_stream: opening.no_stream,
            usage: opening.usage,
            cache_prompt: opening.cache_prompt,
            search: opening.search,
            high_resolution: opening.high_resolution,
            docs: None,
            client: None,
            store,
            id,
            name,
            history,
            totals: (0, 0, 0),
        })
    }

    /// Makes every exchange reference `docs` (`--doc`): the model becomes `doc_model` unless
    /// `-m` was given; the files are uploaded (or their earlier uploads reused) and parsed
    /// before the first request, or, for `--dry-run`, only shown.
    pub async fn use_docs(&mut self, docs: Vec<Doc>, dry_run: bool) -> anyhow::Result<()> {
        if docs.is_empty() {
            return Ok(());
        }
        let settings = self.settings;
        self.model = docs::choose_model(settings, &self.model, settings.model_given);
        docs::warn_region(settings);
        let reference = if dry_run {
            docs::shown(settings, &docs)?
        } else {
            docs::prepare(settings, &docs).await?
        };
        self.docs = Some((reference, docs.into_iter().map(|d| d.name).collect()));
        Ok(())
    }

    /// Forgets the conversation: the next exchange starts a new one (`/clear`).
    pub fn clear(&mut self) {
        self.history.clear();
        self.id = None;
        self.name = None;
    }

    /// Names the conversation (`/save NAME`): renames the saved one, or names the one
    /// the next exchange saves.
    pub fn rename(&mut self, name: &str) -> anyhow::Result<()> {
        match self.id {
            Some(id) => Store::open(&self.settings.data_dir)?.rename_conversation(id, name),
            None => {
                let store = Store::open(&self.settings.data_dir)?;
                if store.named_conversation(name)?.is_some() {
                    return Err(UsageError::new(
                        format!("the name `{name}` is taken by another conversation"),
                        Some("pick another name".into()),
                    )
                    .into());
                }
                self.name = Some(name.to_owned());
                Ok(())
            }
        }
    }

    /// Builds the request for `prompt`, with as much of the conversation as fits.
    pub fn request(&self, prompt: &str) -> anyhow::Result<(ChatRequest, Option<Schema>)> {
        let (request, schema, _) = self.request_with_head(prompt, None, Vec::new())?;
        Ok((request, schema))
    }

    /// Builds the request like [`Chat::request`], marking the stable prefix for the explicit
    /// prompt cache as `--cache-prompt` asks. `cached` is the prompt with its attached
    /// files first and the length of that head: it is sent when the marker lands on it,
    /// else `plain` (the documented order: the question, then the files). `media` (from
    /// `--attach`) follows the text. Returns the prompt that was sent too.
    pub fn request_with_head(
        &self,
        plain: &str,
        cached: Option<(&str, usize)>,
        media: Vec<Part>,
    ) -> anyhow::Result<(ChatRequest, Option<Schema>, String)> {
        let (prompt, head) = match cached {
            Some((text, head)) => (text, Some(head)),
            None => (plain, None),
        };
        let (mut params, schema) = validate::params_and_schema(self.settings, &self.flags)?;
        self.search.apply(&mut params);
        let mut messages = build_messages(
            self.settings,
            &self.model,
            self.max_history,
            self.system.as_deref(),
            self.history.clone(),
            prompt,
            &params,
        );
        if let Some(format) = &params.response_format {
            validate::ensure_json_word(&mut messages, format);
        }
        if let Some((reference, _)) = &self.docs {
            docs::insert(&mut messages, reference);
        }
        let mut request = ChatRequest {
            model: self.model.clone(),
            messages,
            params,
            tools: Vec::new(),
            stream: !self.no_stream,
            prompt: None,
        };
        let ask = prompt_cache::Ask {
            mode: self.cache_prompt,
            reused: self.id.is_some() || self.name.is_some() || !self.history.is_empty(),
            min_tokens: self.settings.cache_min_tokens,
        };
        prompt_cache::mark_and_say(self.settings, &mut request, &ask, head);
        let mut sent = prompt.to_owned();
        // The files went first only to be cached: without a marker on them, the documented
        // order (the question, then the files) stands.
        if let Some(user) = request.messages.last_mut().filter(|m| m.cache_at.is_none())
            && head.is_some()
        {
            plain.clone_into(&mut sent);
            user.content.clone_from(&sent);
        }
        attach::apply(
            self.settings,
            &mut request,
            media,
            self.high_resolution,
            self.model_given,
        )?;
        check_before_sending(self.settings, &request)?;
        Ok((request, schema, sent))
    }

    /// Sends `prompt` and renders the reply; saves the exchange and records every attempt
    /// in the ledger. Ctrl-C stops the reply: what arrived is saved, marked interrupted,
    /// and the next exchange sends it as context.
    pub async fn send<W: Write>(
        &mut self,
        prompt: &str,
        request: ChatRequest,
        schema: Option<Schema>,
        renderer: &mut Renderer<W>,
    ) -> anyhow::Result<Outcome> {
        let settings = self.settings;
        let history_system = self
            .history
            .iter()
            .rfind(|m| m.role == Role::System)
            .cloned();
        let hit = self
            .cache
            .as_ref()
            .and_then(|c| self.store.with(|s| c.lookup(s, &request)).flatten());
        if self.client.is_none() {
            self.client = Some(Client::new(
                chat_endpoint(settings, self.search.sources, true)?,
                settings.connect_timeout,
                settings.verbose,
            )?);
        }
        let client = self.client.as_ref().expect("made just now");
        // The cache knows local files by content; the request sent names uploads by URL.
        let uploaded;
        let sent = if hit.is_none() && request.has_media() {
            let mut with_urls = request.clone();
            attach::upload(client, settings, &mut with_urls, UPLOAD_MARGIN).await?;
            uploaded = with_urls;
            &uploaded
        } else {
            &request
        };
        renderer.set_cached(hit.is_some());
        let mut observer = ChatObserver::new(renderer, settings.quiet, settings.max_attempts());
        if hit.is_none() {
            observer = observer.with_spinner(&request.model);
        }
        let opts = settings.turn_options(self.fallbacks.clone());
        // A document still being parsed gets a 400 that heals: asked again within
        // `doc_parse_timeout` (research-wire.md §3).
        let mut parse_wait = self.docs.as_ref().map(|_| docs::ParseWait::new(settings));
        let mut gave_up = None;
        let outcome = match &hit {
            Some(hit) => Some(hit.replay(&mut observer).map_err(TurnError::Output)),
            None => loop {
                let outcome = tokio::select! {
                    biased;
                    outcome = turn::run(client, sent, &opts, &mut observer) => Some(outcome),
                    _ = tokio::signal::ctrl_c() => None,
                };
                let (Some(wait), Some(Err(TurnError::Api(err)))) = (&mut parse_wait, &outcome)
                else {
                    break outcome;
                };
                if !crate::api::batches::files::is_parsing(err) {
                    break outcome;
                }
                let names = self.docs.as_ref().map_or(Vec::new(), |(_, n)| n.clone());
                let names: Vec<&str> = names.iter().map(String::as_str).collect();
                tokio::select! {
                    biased;
                    waited = wait.pause(&names) => if let Err(e) = waited {
                        // Past `doc_parse_timeout`: the attempts still go to the ledger.
                        gave_up = Some(e);
                        break outcome;
                    },
                    _ = tokio::signal::ctrl_c() => break None,
                }
            },
        };
        let mut records = observer.take_records();
        let received = observer.take_received();
        // Clears the spinner if no event did (an error, Ctrl-C).
        drop(observer);
        // The end of the reply (the final newline, `done`, the JSON document) is written before
        // anything is recorded: a reader gone by then (`qwen chat … | head -c N`) is a closed
        // output like one mid-stream, and the exchange is still saved below.
        let finished = match &outcome {
            Some(Ok(turn)) => renderer.finish(turn),
            _ => Ok(()),
        };
        mark_unfinished(&mut records, &finished);
        let reply = match &outcome {
            Some(Ok(turn)) => Some(turn.completion.text.as_str()),
            _ => None,
        };
        self.store.record_exchange("chat", &records, prompt, reply);
        if let Some(err) = gave_up {
            return Err(err);
        }
        if let Some(hit) = &hit {
            self.store.record_cache_hit("chat", hit);
        }
        let turn = match outcome {
            None => {
                renderer.interrupted()?;
                // What arrived was shown: it stays in the conversation, marked.
                if let Some((model, text)) = received.filter(|(_, text)| !text.is_empty()) {
                    let answer = Message::new(Role::Assistant, text);
                    let new = exchange_messages(&history_system, &request, answer);
                    self.keep(&model, new, &request, 0, true);
                }
                return Ok(Outcome::Interrupted);
            }
            Some(Ok(turn)) => turn,
            Some(Err(TurnError::Output(err))) => {
                // stdout closed (`qwen chat … | head`): what arrived is still this exchange,
                // and `--continue` must find it, not the conversation before it.
                if let Some((model, text)) = received.filter(|(_, text)| !text.is_empty()) {
                    let answer = Message::new(Role::Assistant, text);
                    let new = exchange_messages(&history_system, &request, answer);
                    self.keep(&model, new, &request, 0, false);
                }
                return Err(err.into());
            }
            Some(Err(TurnError::Api(err))) => {
                renderer.error(&err)?;
                let failed = request_failed(settings, &request.model, &opts, &err);
                return Err(anyhow::Error::new(err).context(failed));
            }
        };
        if let Err(err) = finished {
            let new = exchange(&history_system, &request, &turn);
            let tokens = turn.completion.usage.map_or(0, |u| u.total_tokens);
            self.keep(&turn.model, new, &request, tokens, false);
            return Err(err.into());
        }

        if let Some(hit) = hit.as_ref().filter(|_| !settings.quiet) {
            let age = format_duration(Duration::from_secs(hit.age().as_secs()));
            note(
                "note",
                &format!("reply from the response cache, stored {age} ago"),
            );
        }
        if settings.format == Format::Text {
            print_sources(&turn.completion.sources)?;
        }
        if !turn.fallback_from.is_empty() && !settings.quiet {
            let model = crate::term::printable(&turn.model);
            note("note", &format!("answered by `{model}` (fallback)"));
        }
        if self.usage {
            note("usage", &usage_line(settings, &turn, hit.as_ref()));
        }
        let usage = turn.completion.usage.filter(|_| hit.is_none());
        self.totals.0 += 1;
        if let Some(u) = &usage {
            self.totals.1 += u.prompt_tokens;
            self.totals.2 += u.completion_tokens;
        }
        let new = exchange(&history_system, &request, &turn);
        let tokens = usage.map_or(0, |u| u.total_tokens);
        self.keep(&turn.model, new, &request, tokens, false);
        validate::check(&request.params, schema.as_ref(), &turn.completion.text)?;
        // Only a reply that passed the checks is worth reusing.
        if let (Some(cache), None) = (&self.cache, &hit) {
            self.store
                .with(|s| cache.put(s, &request, &turn.completion));
        }
        Ok(Outcome::Answered)
    }

    /// Adds an exchange to the conversation, and saves it unless saving is off.
    fn keep(
        &mut self,
        model: &str,
        new: Vec<Message>,
        request: &ChatRequest,
        tokens: u64,
        interrupted: bool,
    ) {
        if self.save {
            let meta = ExchangeMeta {
                params: Some(params_json(&request.params)),
                tokens,
                interrupted,
            };
            let (id, name) = (self.id, self.name.as_deref());
            if let Some(id) = self
                .store
                .with(|s| s.append_exchange(id, name, model, &new, &meta))
            {
                self.id = Some(id);
            }
        }
        self.history.extend(new);
    }
}
