//! Interactive `qwen chat` (and `qwen tools run`): with no prompt, standard input and
//! standard output both a terminal, a conversation at a prompt. Each entry is one exchange of
//! [`super::exchange::Chat`] (saved and recorded exactly as `qwen chat -c` would); lines
//! starting with `/` are commands.
//!
//! Keys: Enter sends; Alt-Enter, or `\` at the end of a line, starts a new line; Ctrl-C
//! during a reply stops it (what arrived is kept, marked interrupted) and returns to the
//! prompt; Ctrl-C clears a line with text and leaves at an empty prompt; Ctrl-D leaves.

use std::fs::File;
use std::io::{self, IsTerminal, Write};

use super::editor::{HISTORY_FILE, LineEditor, Read};
use super::exchange::{Chat, Outcome};
use crate::api::media::{Item, Part};
use crate::args::InputArgs;
use crate::attach;
use crate::config::Settings;
use crate::exit::Exit;
use crate::output::{Format, Renderer, Thinking};
use crate::render::{self, MarkdownStream, Style};
use crate::term::note;
use crate::tools::{self, run::RunOptions};

const HELP: &str = "\
/model NAME       ask another model from the next prompt on
/think on|off     turn thinking on or off for hybrid models
/system TEXT      set the system prompt (`/system` alone shows it)
/attach SOURCE    send an image, video, audio or text file, a folder of frames or a URL
                  with the next prompt (`/attach` alone lists them, `/detach` drops them)
/save NAME        name this conversation (`qwen chat --session NAME` continues it)
/clear            start a new conversation
/usage            tokens used in this session
/help             this list
/exit             leave (Ctrl-D, or Ctrl-C at an empty prompt, too)
Enter sends; Alt-Enter or a `\\` at the end of a line starts a new line.
Ctrl-C stops a reply; the part shown stays in the conversation.
A line starting with `//` sends it with one `/`.";

/// Whether `qwen chat` with these arguments is a conversation at a prompt: no prompt
/// (arguments or `--file`), standard input may be read, the output is text, and standard
/// input and output are both terminals.
pub fn wanted(settings: &Settings, prompt: &[String], input: &InputArgs, dry_run: bool) -> bool {
    prompt.is_empty()
        && input.files.is_empty()
        && !input.no_stdin
        && !dry_run
        && settings.format == Format::Text
        && io::stdin().is_terminal()
        && io::stdout().is_terminal()
}

/// What a command line asks of the loop.
enum Flow {
    Continue,
    Exit,
}

/// Runs the conversation until the user leaves; replies are rendered in `style` (`None`:
/// `--render never`, the text as it arrives).
pub async fn run(
    mut chat: Chat<'_>,
    thinking: Thinking,
    style: Option<Style>,
) -> anyhow::Result<Exit> {
    let settings = chat.settings;
    let history = settings
        .save_conversations
        .then(|| settings.data_dir.join(HISTORY_FILE));
    let mut editor = LineEditor::new(history)?;
    let mut pending = Pending::default();
    if let Some(theme) = style.map(|s| s.theme) {
        // The highlighter loads while the user types the first prompt.
        std::thread::spawn(move || render::warm_up(theme));
    }
    if !settings.quiet {
        note(
            "note",
            &format!(
                "chatting with `{}`: /help lists the commands, Ctrl-D leaves",
                chat.model
            ),
        );
    }
    loop {
        let prompt = format!("{}> ", chat.model);
        let text = match editor.read(prompt).await? {
            Read::Line(text) => text,
            Read::Cleared => continue,
            Read::Exit => break,
        };
        if text.trim().is_empty() {
            continue;
        }
        editor.remember(&text);
        let prompt = match text.strip_prefix('/') {
            Some(rest) if rest.starts_with('/') => rest.to_owned(),
            Some(command) => match slash(&mut chat, &mut pending, command) {
                Flow::Continue => continue,
                Flow::Exit => break,
            },
            None => text,
        };
        if let Err(err) = exchange(&mut chat, &prompt, &mut pending, style, thinking).await {
            let _ = io::stdout().flush();
            note("error", &format!("{err:#}"));
        }
    }
    Ok(Exit::Success)
}

/// One exchange, the reply rendered as it streams; the pending attachments go with it
/// (and stay pending when the request cannot be made, so `/model` can fix that).
async fn exchange(
    chat: &mut Chat<'_>,
    prompt: &str,
    pending: &mut Pending,
    style: Option<Style>,
    thinking: Thinking,
) -> anyhow::Result<()> {
    let text = pending.prompt(prompt)?;
    let (request, schema, prompt) = chat.request_with_head(&text, None, pending.parts.clone())?;
    *pending = Pending::default();
    // Media without a chosen model picked a vision or audio model (and said so): the
    // conversation goes on with it.
    if request.model != chat.model {
        chat.model.clone_from(&request.model);
    }
    let prompt = prompt.as_str();
    let out = io::stdout().lock();
    let reply = match style {
        Some(style) => Reply::Rendered(Box::new(MarkdownStream::new(out, style))),
        None => Reply::Plain(out),
    };
    let mut renderer = Renderer::new(reply, Format::Text, thinking);
    let sent = chat.send(prompt, request, schema, &mut renderer).await;
    let stream = renderer.writer();
    match &sent {
        Ok(Outcome::Interrupted) => {
            stream.interrupt()?;
            if !chat.settings.quiet {
                // The terminal echoed `^C` where the reply stopped.
                let _ = writeln!(io::stderr());
                note(
                    "note",
                    "interrupted: the part shown stays in the conversation",
                );
            }
        }
        _ => stream.finish()?,
    }
    sent.map(drop)
}

/// Splits `/name arg` (without the `/`).
fn split(line: &str) -> (&str, &str) {
    match line.split_once(char::is_whitespace) {
        Some((name, arg)) => (name, arg.trim()),
        None => (line, ""),
    }
}

fn say(text: &str) {
    note("note", text);
}

/// The commands `chat` and `tools run` share: `/exit`, `/help`, `/model`, `/think`,
/// `/system`; `None` for any other.
fn shared(
    name: &str,
    arg: &str,
    model: &mut String,
    system: &mut Option<String>,
    thinking: &mut Option<bool>,
) -> Option<Flow> {
    match (name, arg) {
        ("exit" | "quit", _) => return Some(Flow::Exit),
        ("help", _) => {
            let _ = writeln!(io::stderr().lock(), "{HELP}");
        }
        ("model", "") => say(&format!("the model is `{model}`")),
        ("model", new) => {
            *model = new.to_owned();
            say(&format!("the model is now `{new}`"));
        }
        ("think", "on" | "off") => {
            *thinking = Some(arg == "on");
            say(&format!("thinking is {arg}"));
        }
        ("think", _) => note("error", "use `/think on` or `/think off`"),
        ("system", "") => match system {
            Some(text) => say(&format!("the system prompt is: {text}")),
            None => say("no system prompt is set here (the conversation's own is sent)"),
        },
        ("system", text) => {
            *system = Some(text.to_owned());
            say("the system prompt is set for the next prompts");
        }
        _ => return None,
    }
    Some(Flow::Continue)
}

fn unknown(name: &str) {
    note(
        "error",
        &format!("unknown command `/{name}`: /help lists the commands"),
    );
}

/// Runs a `/command` of `chat`.
fn slash(chat: &mut Chat<'_>, pending: &mut Pending, line: &str) -> Flow {
    let (name, arg) = split(line);
    let Chat {
        model,
        system,
        flags,
        ..
    } = chat;
    if let Some(flow) = shared(name, arg, model, system, &mut flags.enable_thinking) {
        if name == "model" && !arg.is_empty() {
            chat.model_given = true;
        }
        return flow;
    }
    match (name, arg) {
        ("attach", "") => pending.list(),
        ("attach", source) => pending.add(chat.settings, source),
        ("detach", _) => {
            *pending = Pending::default();
            say("no attachments go with the next prompt");
        }
        ("save", "") => say("name it: `/save NAME`"),
        ("save", name) => match chat.rename(name) {
            Ok(()) if chat.id.is_some() => say(&format!("saved as `{name}`")),
            Ok(()) => say(&format!("the conversation will be saved as `{name}`")),
            Err(err) => note("error", &format!("{err:#}")),
        },
        ("clear", _) => {
            chat.clear();
            say("a new conversation starts");
        }
        ("usage", _) => {
            let (turns, input, output) = chat.totals;
            say(&format!(
                "{turns} replies in this session: {input} input + {output} output tokens = {}",
                input + output
            ));
        }
        _ => unknown(name),
    }
    Flow::Continue
}

/// Interactive `qwen tools run`: each entry is one run of the tool loop, with the earlier
/// prompts and answers before it. A tool's confirmation question reads the terminal while
/// the loop runs, never while the editor does, so the two never read it at once.
pub async fn run_tools(
    settings: &Settings,
    mut options: RunOptions,
    mut system: Option<String>,
    transcript: Option<File>,
) -> anyhow::Result<Exit> {
    let history_file = settings
        .save_conversations
        .then(|| settings.data_dir.join(HISTORY_FILE));
    let mut editor = LineEditor::new(history_file)?;
    let mut settings = settings.clone();
    let mut history = Vec::new();
    // The tools and the answers given about them, kept from one entry to the next: MCP
    // servers start once, and "always" stays said for the session.
    let mut kit = None;
    if !settings.quiet {
        say(&format!(
            "running tools with `{}`: /help lists the commands, Ctrl-D leaves",
            settings.model
        ));
    }
    loop {
        let text = match editor.read(format!("{}> ", settings.model)).await? {
            Read::Line(text) => text,
            Read::Cleared => continue,
            Read::Exit => break,
        };
        if text.trim().is_empty() {
            continue;
        }
        editor.remember(&text);
        let prompt = match text.strip_prefix('/') {
            Some(rest) if rest.starts_with('/') => rest.to_owned(),
            Some(line) => {
                let (name, arg) = split(line);
                let thinking = &mut options.params.enable_thinking;
                match shared(name, arg, &mut settings.model, &mut system, thinking) {
                    Some(Flow::Exit) => break,
                    Some(Flow::Continue) => {}
                    None if name == "clear" => {
                        history.clear();
                        say("a new conversation starts");
                    }
                    None if matches!(name, "save" | "usage") => note(
                        "error",
                        &format!("`/{name}` is for `qwen chat`: `tools run` saves no conversation"),
                    ),
                    None if matches!(name, "attach" | "detach") => note(
                        "error",
                        "`/attach` is for `qwen chat`: give `tools run` files with `--attach`",
                    ),
                    None => unknown(name),
                }
                continue;
            }
            None => text,
        };
        let transcript = transcript.as_ref().and_then(|f| f.try_clone().ok());
        let ran = tools::run::run(
            &settings,
            &options,
            &prompt,
            system.clone(),
            transcript,
            &mut history,
            &mut kit,
        )
        .await;
        match ran {
            Ok(Exit::Interrupted) => {
                let _ = writeln!(io::stderr());
                say("interrupted: this prompt is not kept in the conversation");
            }
            Ok(_) => {}
            Err(err) => {
                let _ = io::stdout().flush();
                note("error", &format!("{err:#}"));
            }
        }
    }
    if let Some(kit) = kit {
        kit.shutdown().await;
    }
    Ok(Exit::Success)
}

/// What `/attach` collected for the next prompt.
#[derive(Default)]
struct Pending {
    /// Images, video and audio, in the order given.
    parts: Vec<Part>,
    /// Text files: (path, contents), added to the prompt as `--file` adds them.
    texts: Vec<(String, String)>,
    /// How each source was described when it was attached.
    shown: Vec<String>,
}

impl Pending {
    /// Reads `source` as `--attach` would (a folder as `--attach-frames`); a source that
    /// cannot be attached is an error note, and nothing is added.
    fn add(&mut self, settings: &Settings, source: &str) {
        let source = unquote(source);
        if source == "-" {
            note(
                "error",
                "standard input is this terminal: attach a file by its path",
            );
            return;
        }
        let source = expand_home(source);
        let is_dir = !attach::is_url(&source) && std::path::Path::new(&source).is_dir();
        let (sources, frames) = if is_dir {
            (Vec::new(), vec![source.clone().into()])
        } else {
            (vec![source.clone()], Vec::new())
        };
        match attach::load(&sources, &frames, settings.max_input, false) {
            Ok(loaded) => {
                let what = match (loaded.parts.first(), loaded.texts.first()) {
                    (Some(part), _) if part.frames => {
                        format!("{} frames as a video", part.items.len())
                    }
                    (Some(part), _) => part.items.first().map_or_else(String::new, described),
                    (None, Some((_, text))) => format!("text, {} bytes", text.len()),
                    (None, None) => String::new(),
                };
                self.parts.extend(loaded.parts);
                self.texts.extend(loaded.texts);
                let shown = format!("`{source}` ({what})");
                say(&format!("{shown} goes with the next prompt"));
                self.shown.push(shown);
            }
            Err(err) => note("error", &err.to_string()),
        }
    }

    fn list(&self) {
        if self.shown.is_empty() {
            say("nothing attached: `/attach SOURCE` adds a file, folder or URL");
        } else {
            say(&format!("with the next prompt: {}", self.shown.join(", ")));
        }
    }

    /// The prompt with the attached text files, as `chat --file` puts them.
    fn prompt(&self, prompt: &str) -> Result<String, crate::exit::UsageError> {
        if self.texts.is_empty() {
            return Ok(prompt.to_owned());
        }
        crate::input::assemble(crate::input::PromptParts {
            args: &[prompt.to_owned()],
            stdin: None,
            files: self.texts.clone(),
        })
    }
}

fn described(item: &Item) -> String {
    match item {
        Item::Local(payload) => format!(
            "{}, {} bytes",
            payload.mime,
            crate::media::grouped(payload.len)
        ),
        Item::Url(_) => "a URL, passed as it is".to_owned(),
    }
}

/// `"my photo.png"` → `my photo.png`: a terminal user may quote a path with spaces.
fn unquote(source: &str) -> &str {
    for q in ['"', '\u{27}'] {
        if let Some(inner) = source.strip_prefix(q).and_then(|s| s.strip_suffix(q)) {
            return inner;
        }
    }
    source
}

/// `~/x.png` → `$HOME/x.png`, as the shell would have done for `--attach`.
fn expand_home(source: &str) -> String {
    match (source.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => std::path::Path::new(&home).join(rest).display().to_string(),
        _ => source.to_owned(),
    }
}

/// A reply's text into the Markdown renderer, or straight out (`--render never`).
enum Reply<W: Write> {
    Rendered(Box<MarkdownStream<W>>),
    Plain(W),
}

impl<W: Write> Reply<W> {
    fn finish(&mut self) -> io::Result<()> {
        match self {
            Reply::Rendered(stream) => stream.finish(),
            Reply::Plain(out) => out.flush(),
        }
    }

    fn interrupt(&mut self) -> io::Result<()> {
        match self {
            Reply::Rendered(stream) => stream.interrupt(),
            Reply::Plain(out) => out.flush(),
        }
    }
}

impl<W: Write> Write for Reply<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Reply::Rendered(stream) => {
                stream.push_bytes(buf)?;
                Ok(buf.len())
            }
            Reply::Plain(out) => out.write(buf),
        }
    }

    // Rendered, complete lines are written as they are rendered (a terminal's stdout is
    // line buffered); the held part of a line waits for the rest of it.
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Reply::Rendered(_) => Ok(()),
            Reply::Plain(out) => out.flush(),
        }
    }
}
