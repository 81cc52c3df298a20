# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_qwen_global_optspecs
    string join \n profile= region= base-url= api= m/model= format= retries= timeout= first-token-timeout= idle-timeout= allow-insecure-http max-input= no-ledger v/verbose q/quiet h/help V/version
end

function __fish_qwen_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_qwen_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_qwen_using_subcommand
    set -l cmd (__fish_qwen_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c qwen -n "__fish_qwen_needs_command" -l profile -d 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]' -r
complete -c qwen -n "__fish_qwen_needs_command" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]' -r
complete -c qwen -n "__fish_qwen_needs_command" -l base-url -d 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]' -r
complete -c qwen -n "__fish_qwen_needs_command" -l api -d 'Wire protocol: compat (OpenAI-compatible) or native (DashScope\'s own API); with --base-url, give that protocol\'s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]' -r -f -a "compat\t'OpenAI-compatible (`/compatible-mode/v1`, and local servers)'
native\t'DashScope native (`/api/v1/services/...`)'"
complete -c qwen -n "__fish_qwen_needs_command" -s m -l model -d 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]' -r
complete -c qwen -n "__fish_qwen_needs_command" -l format -d 'Output format: text, jsonl or json for replies; table, json, jsonl, csv or prometheus for `qwen usage` [default: from config, else text]' -r -f -a "text\t'Plain text (replies), an aligned table (reports)'
jsonl\t'One JSON object per line'
json\t'One JSON object'
table\t'An aligned table (`qwen usage`)'
csv\t'Comma-separated values with a header line (`qwen usage`)'
prometheus\t'Prometheus text format for node_exporter\'s textfile collector (`qwen usage`)'"
complete -c qwen -n "__fish_qwen_needs_command" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]' -r
complete -c qwen -n "__fish_qwen_needs_command" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]' -r
complete -c qwen -n "__fish_qwen_needs_command" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]' -r
complete -c qwen -n "__fish_qwen_needs_command" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]' -r
complete -c qwen -n "__fish_qwen_needs_command" -l max-input -d 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]' -r
complete -c qwen -n "__fish_qwen_needs_command" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_needs_command" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_needs_command" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_needs_command" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_needs_command" -s V -l version -d 'Print version'
complete -c qwen -n "__fish_qwen_needs_command" -f -a "chat" -d 'Send a prompt to a chat model and stream the reply'
complete -c qwen -n "__fish_qwen_needs_command" -f -a "sessions" -d 'List, show, export, rename and delete saved conversations'
complete -c qwen -n "__fish_qwen_needs_command" -f -a "batch" -d 'Send many prompts (files, or JSONL requests) with bounded concurrency'
complete -c qwen -n "__fish_qwen_needs_command" -f -a "usage" -d 'Report tokens, estimated spend, errors and latency from the local usage ledger'
complete -c qwen -n "__fish_qwen_needs_command" -f -a "cache" -d 'Show or clear the response cache that `--cache` fills'
complete -c qwen -n "__fish_qwen_needs_command" -f -a "files" -d 'List and delete the documents `--doc` uploaded for Qwen-Long'
complete -c qwen -n "__fish_qwen_needs_command" -f -a "tools" -d 'Let the model call your own tools (programs, MCP servers) until it answers'
complete -c qwen -n "__fish_qwen_needs_command" -f -a "complete" -d 'Continue a raw prompt with a base or coder model, with no chat template'
complete -c qwen -n "__fish_qwen_needs_command" -f -a "models" -d 'List the endpoint\'s models with the built-in catalogue\'s limits and prices'
complete -c qwen -n "__fish_qwen_needs_command" -f -a "embed" -d 'Embed texts (arguments, standard input lines or files) and print JSONL vectors'
complete -c qwen -n "__fish_qwen_needs_command" -f -a "rerank" -d 'Rank documents by relevance to a query and print them as JSONL, best first'
complete -c qwen -n "__fish_qwen_needs_command" -f -a "doctor" -d 'Check the config, the API key, the endpoint and the local store'
complete -c qwen -n "__fish_qwen_needs_command" -f -a "completions" -d 'Print a shell completion script to stdout'
complete -c qwen -n "__fish_qwen_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -s s -l system -d 'System prompt' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l system-file -d 'Read the system prompt from a file' -r -F
complete -c qwen -n "__fish_qwen_using_subcommand chat" -s f -l file -d 'Attach a file to the prompt, with its path as a header (repeatable)' -r -F
complete -c qwen -n "__fish_qwen_using_subcommand chat" -s a -l attach -d 'Attach an image, video or audio file, an http(s):// or oss:// URL, or `-` for standard input (repeatable; sent after the prompt\'s text, in order)' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l attach-frames -d 'Attach a folder of images as one video, a frame per image sorted by name (repeatable)' -r -F
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l doc -d 'Upload a document for Qwen-Long to read (pdf, docx, txt, md, …; repeatable; uploaded once per content, referenced as `fileid://`; default model `doc_model`)' -r -F
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l audio-out -d 'Ask for a spoken reply too and write it to this WAV file (Omni models; the text still goes to stdout)' -r -F
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l voice -d 'The voice of the spoken reply [default: Cherry]' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l temperature -d 'Sampling temperature, in [0, 2)' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l top-p -d 'Nucleus sampling probability, in (0, 1]' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l top-k -d 'Sample from the K most likely tokens' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l max-tokens -d 'Maximum tokens in the reply' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l seed -d 'Seed for reproducible sampling' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l stop -d 'Stop when the model produces this text (repeatable)' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l presence-penalty -d 'Presence penalty, in [-2, 2]' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l repetition-penalty -d 'Repetition penalty (1.0 = none)' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l thinking-budget -d 'Maximum reasoning tokens' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l schema -d 'Ask for a reply matching this JSON Schema file; the reply is validated locally' -r -F
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l extra -d 'Add any other field to the request body, e.g. `--extra \'n=2\'` (repeatable)' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l search-strategy -d 'How to search (implies --search)' -r -f -a "turbo\t''
max\t''
agent\t''
agent_max\t''"
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l render -d 'Draw the reply as Markdown: `auto` (when stdout is a terminal), `always` (into a pipe too) or `never` [default: from config, else auto]' -r -f -a "auto\t'When stdout is a terminal'
always\t'Even into a pipe or a file'
never\t'Never'"
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l session -d 'Continue the conversation with this name or id (`qwen sessions list`), or start one with this name' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l max-history -d 'Send at most N earlier messages of the conversation' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l cache-ttl -d 'Reuse only cached replies younger than this, e.g. `1h` (implies --cache)' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l cache-prompt -d 'Mark the stable prefix (system prompt, files, earlier turns) for the service\'s explicit prompt cache; `=auto` only where it pays [config: cache_prompt]' -r -f -a "on\t''
auto\t''"
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l prefix -d 'Start the reply with TEXT and let the model continue it (partial mode; no thinking)' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l prefix-file -d 'Read the start of the reply from a file (partial mode)' -r -F
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l fallback-model -d 'Try this model when the main one is unavailable or keeps failing (repeatable)' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l format -d 'Output format' -r -f -a "text\t'Plain text (replies), an aligned table (reports)'
jsonl\t'One JSON object per line'
json\t'One JSON object'"
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l profile -d 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l base-url -d 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l api -d 'Wire protocol: compat (OpenAI-compatible) or native (DashScope\'s own API); with --base-url, give that protocol\'s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]' -r -f -a "compat\t'OpenAI-compatible (`/compatible-mode/v1`, and local servers)'
native\t'DashScope native (`/api/v1/services/...`)'"
complete -c qwen -n "__fish_qwen_using_subcommand chat" -s m -l model -d 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l max-input -d 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l dry-run -d 'Print the request that would be sent (key redacted) and send nothing'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l no-stdin -d 'Never read standard input, even when it is a pipe'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l lossy -d 'Accept non-UTF-8 input, replacing invalid bytes with U+FFFD'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l high-resolution -d 'Ask vision models to read images at high resolution (`vl_high_resolution_images`)'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l think -d 'Turn thinking (reasoning) on for hybrid models'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l no-think -d 'Turn thinking off for hybrid models'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l search -d 'Let the model search the web (`enable_search`)'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l json -d 'Ask for a JSON object reply; the reply is checked to be JSON'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l no-stream -d 'Wait for the whole reply instead of streaming it'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l sources -d 'Search the web and return the sources and citations (implies --search; sent over DashScope\'s native protocol, the only one that returns them)'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l force-search -d 'Search whatever the model decides (implies --search)'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l show-thinking -d 'Show reasoning on stderr even when stderr is not a terminal'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l hide-thinking -d 'Never show reasoning'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -s u -l usage -d 'Print token usage to stderr when the reply is complete'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -s c -l continue -d 'Continue the most recent conversation'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l no-save -d 'Do not save this exchange (it cannot be continued)'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l list-sessions -d 'List saved conversations and exit (the same as `qwen sessions list`)'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l cache -d 'Reuse the reply to an identical earlier request from the local cache (and store this one)'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l no-cache -d 'Do not use the response cache, even if the profile turns it on'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l no-cache-prompt -d 'Send no prompt-cache markers, even if the profile turns them on'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l no-echo-prefix -d 'Print only the continuation, not the prefix before it (with --prefix or --prefix-file)'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and not __fish_seen_subcommand_from list show export rename rm help" -l format -r -f -a "text\t'Plain text (replies), an aligned table (reports)'
jsonl\t'One JSON object per line'
json\t'One JSON object'
table\t'An aligned table (`qwen usage`)'
csv\t'Comma-separated values with a header line (`qwen usage`)'
prometheus\t'Prometheus text format for node_exporter\'s textfile collector (`qwen usage`)'"
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and not __fish_seen_subcommand_from list show export rename rm help" -l profile -d 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and not __fish_seen_subcommand_from list show export rename rm help" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and not __fish_seen_subcommand_from list show export rename rm help" -l base-url -d 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and not __fish_seen_subcommand_from list show export rename rm help" -l api -d 'Wire protocol: compat (OpenAI-compatible) or native (DashScope\'s own API); with --base-url, give that protocol\'s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]' -r -f -a "compat\t'OpenAI-compatible (`/compatible-mode/v1`, and local servers)'
native\t'DashScope native (`/api/v1/services/...`)'"
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and not __fish_seen_subcommand_from list show export rename rm help" -s m -l model -d 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and not __fish_seen_subcommand_from list show export rename rm help" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and not __fish_seen_subcommand_from list show export rename rm help" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and not __fish_seen_subcommand_from list show export rename rm help" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and not __fish_seen_subcommand_from list show export rename rm help" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and not __fish_seen_subcommand_from list show export rename rm help" -l max-input -d 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and not __fish_seen_subcommand_from list show export rename rm help" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and not __fish_seen_subcommand_from list show export rename rm help" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and not __fish_seen_subcommand_from list show export rename rm help" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and not __fish_seen_subcommand_from list show export rename rm help" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and not __fish_seen_subcommand_from list show export rename rm help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and not __fish_seen_subcommand_from list show export rename rm help" -f -a "list" -d 'List saved conversations, most recent first'
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and not __fish_seen_subcommand_from list show export rename rm help" -f -a "show" -d 'Print a conversation\'s transcript (rendered on a terminal)'
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and not __fish_seen_subcommand_from list show export rename rm help" -f -a "export" -d 'Print a conversation as Markdown (the default) or JSON messages'
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and not __fish_seen_subcommand_from list show export rename rm help" -f -a "rename" -d 'Give a conversation a new name'
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and not __fish_seen_subcommand_from list show export rename rm help" -f -a "rm" -d 'Delete conversations by name or id, or all those unused for a while'
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and not __fish_seen_subcommand_from list show export rename rm help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from list" -l format -d 'Output format' -r -f -a "text\t'Plain text (replies), an aligned table (reports)'
jsonl\t'One JSON object per line'
json\t'One JSON object'"
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from list" -l profile -d 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from list" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from list" -l base-url -d 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from list" -l api -d 'Wire protocol: compat (OpenAI-compatible) or native (DashScope\'s own API); with --base-url, give that protocol\'s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]' -r -f -a "compat\t'OpenAI-compatible (`/compatible-mode/v1`, and local servers)'
native\t'DashScope native (`/api/v1/services/...`)'"
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from list" -s m -l model -d 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from list" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from list" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from list" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from list" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from list" -l max-input -d 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from list" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from list" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from show" -l format -d 'Output format' -r -f -a "text\t'Plain text (replies), an aligned table (reports)'
jsonl\t'One JSON object per line'
json\t'One JSON object'"
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from show" -l profile -d 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from show" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from show" -l base-url -d 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from show" -l api -d 'Wire protocol: compat (OpenAI-compatible) or native (DashScope\'s own API); with --base-url, give that protocol\'s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]' -r -f -a "compat\t'OpenAI-compatible (`/compatible-mode/v1`, and local servers)'
native\t'DashScope native (`/api/v1/services/...`)'"
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from show" -s m -l model -d 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from show" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from show" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from show" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from show" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from show" -l max-input -d 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from show" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from show" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from export" -l format -d 'Output format' -r -f -a "text\t'Plain text (replies), an aligned table (reports)'
jsonl\t'One JSON object per line'
json\t'One JSON object'"
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from export" -l profile -d 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from export" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from export" -l base-url -d 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from export" -l api -d 'Wire protocol: compat (OpenAI-compatible) or native (DashScope\'s own API); with --base-url, give that protocol\'s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]' -r -f -a "compat\t'OpenAI-compatible (`/compatible-mode/v1`, and local servers)'
native\t'DashScope native (`/api/v1/services/...`)'"
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from export" -s m -l model -d 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from export" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from export" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from export" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from export" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from export" -l max-input -d 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from export" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from export" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from export" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from export" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from rename" -l format -r -f -a "text\t'Plain text (replies), an aligned table (reports)'
jsonl\t'One JSON object per line'
json\t'One JSON object'
table\t'An aligned table (`qwen usage`)'
csv\t'Comma-separated values with a header line (`qwen usage`)'
prometheus\t'Prometheus text format for node_exporter\'s textfile collector (`qwen usage`)'"
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from rename" -l profile -d 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from rename" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from rename" -l base-url -d 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from rename" -l api -d 'Wire protocol: compat (OpenAI-compatible) or native (DashScope\'s own API); with --base-url, give that protocol\'s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]' -r -f -a "compat\t'OpenAI-compatible (`/compatible-mode/v1`, and local servers)'
native\t'DashScope native (`/api/v1/services/...`)'"
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from rename" -s m -l model -d 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from rename" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from rename" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from rename" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from rename" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from rename" -l max-input -d 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from rename" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from rename" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from rename" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from rename" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from rename" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from rm" -l older-than -d 'Delete every conversation last used longer ago than this, e.g. `30d`' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from rm" -l format -r -f -a "text\t'Plain text (replies), an aligned table (reports)'
jsonl\t'One JSON object per line'
json\t'One JSON object'
table\t'An aligned table (`qwen usage`)'
csv\t'Comma-separated values with a header line (`qwen usage`)'
prometheus\t'Prometheus text format for node_exporter\'s textfile collector (`qwen usage`)'"
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from rm" -l profile -d 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from rm" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from rm" -l base-url -d 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from rm" -l api -d 'Wire protocol: compat (OpenAI-compatible) or native (DashScope\'s own API); with --base-url, give that protocol\'s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]' -r -f -a "compat\t'OpenAI-compatible (`/compatible-mode/v1`, and local servers)'
native\t'DashScope native (`/api/v1/services/...`)'"
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from rm" -s m -l model -d 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from rm" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from rm" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from rm" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from rm" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from rm" -l max-input -d 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]' -r
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from rm" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from rm" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from rm" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from rm" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from help" -f -a "list" -d 'List saved conversations, most recent first'
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print a conversation\'s transcript (rendered on a terminal)'
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from help" -f -a "export" -d 'Print a conversation as Markdown (the default) or JSON messages'
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from help" -f -a "rename" -d 'Give a conversation a new name'
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Delete conversations by name or id, or all those unused for a while'
complete -c qwen -n "__fish_qwen_using_subcommand sessions; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l input -d 'Read requests from a JSONL file instead (`-` for standard input)' -r -F
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l input-format -d 'What `-` reads from standard input: a list of paths, or JSONL requests' -r -f -a "paths\t'One path per line (files or directories)'
jsonl\t'One JSONL request per line, as with `--input`'"
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l prompt -d 'Prompt template for files, with `{path}`, `{name}` and `{content}` placeholders' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l prompt-file -d 'Read the prompt template from a file' -r -F
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -s s -l system -d 'System prompt for every item' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l system-file -d 'Read the system prompt from a file' -r -F
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l temperature -d 'Sampling temperature, in [0, 2)' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l top-p -d 'Nucleus sampling probability, in (0, 1]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l top-k -d 'Sample from the K most likely tokens' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l max-tokens -d 'Maximum tokens in the reply' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l seed -d 'Seed for reproducible sampling' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l stop -d 'Stop when the model produces this text (repeatable)' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l presence-penalty -d 'Presence penalty, in [-2, 2]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l repetition-penalty -d 'Repetition penalty (1.0 = none)' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l thinking-budget -d 'Maximum reasoning tokens' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l schema -d 'Ask for a reply matching this JSON Schema file; the reply is validated locally' -r -F
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l extra -d 'Add any other field to the request body, e.g. `--extra \'n=2\'` (repeatable)' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -s a -l attach -d 'Attach an image, video or audio file, an http(s):// or oss:// URL, or `-` for standard input (repeatable; sent after the prompt\'s text, in order)' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l attach-frames -d 'Attach a folder of images as one video, a frame per image sorted by name (repeatable)' -r -F
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l search-strategy -d 'How to search (implies --search)' -r -f -a "turbo\t''
max\t''
agent\t''
agent_max\t''"
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -s g -l glob -d 'Only files matching this glob; `!GLOB` excludes (repeatable)' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l max-depth -d 'Descend at most this many directory levels' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -s j -l concurrency -d 'Requests in flight at most' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l rpm -d 'Start at most N requests per minute' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l tpm -d 'Send at most N input tokens per minute (estimated before, corrected after)' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l drain-timeout -d 'After the first Ctrl-C, wait this long for requests in flight, then abandon them' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l max-items -d 'Take at most N items' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l max-cost -d 'Stop starting items when the run\'s estimated spend would pass this amount (in the price table\'s currency: USD, or CNY in Beijing)' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l max-bytes -d 'Skip files larger than this (e.g. `200KB`, `1MiB`)' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -s o -l output -d 'Write the JSONL results to this file instead of stdout' -r -F
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l out-dir -d 'Write each reply to its own file under DIR, mirroring the input paths' -r -F
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l ext -d 'Extension appended to --out-dir files' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l window -d 'Completion window of remote batches: 24h to 336h, or 1d to 14d' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l poll-interval -d 'First wait between status polls of a remote job (it grows to 5 minutes)' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l max-file-lines -d 'Lines per uploaded file at most' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l max-file-bytes -d 'Bytes per uploaded file at most' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l max-line-bytes -d 'Bytes per request line at most; larger items are skipped before anything is uploaded' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l cache-prompt -d 'Mark the stable prefix (system prompt, files, earlier turns) for the service\'s explicit prompt cache; `=auto` only where it pays [config: cache_prompt]' -r -f -a "on\t''
auto\t''"
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l format -d 'Output format' -r -f -a "jsonl\t'One JSON object per line'"
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l profile -d 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l base-url -d 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l api -d 'Wire protocol: compat (OpenAI-compatible) or native (DashScope\'s own API); with --base-url, give that protocol\'s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]' -r -f -a "compat\t'OpenAI-compatible (`/compatible-mode/v1`, and local servers)'
native\t'DashScope native (`/api/v1/services/...`)'"
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -s m -l model -d 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l max-input -d 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l think -d 'Turn thinking (reasoning) on for hybrid models'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l no-think -d 'Turn thinking off for hybrid models'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l search -d 'Let the model search the web (`enable_search`)'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l json -d 'Ask for a JSON object reply; the reply is checked to be JSON'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l no-stream -d 'Wait for the whole reply instead of streaming it'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l high-resolution -d 'Ask vision models to read images at high resolution (`vl_high_resolution_images`)'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l sources -d 'Search the web and return the sources and citations (implies --search; sent over DashScope\'s native protocol, the only one that returns them)'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l force-search -d 'Search whatever the model decides (implies --search)'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l hidden -d 'Include hidden files and directories'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l no-ignore -d 'Do not honour `.gitignore`, `.ignore` and similar files'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l fail-fast -d 'Stop starting items after the first one that fails for good'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l dry-run -d 'List the items with estimated input tokens and send nothing'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l truncate -d 'Send the start of files larger than --max-bytes instead of skipping them'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l lossy -d 'Accept non-UTF-8 files, replacing invalid bytes with U+FFFD'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l ordered -d 'Write results in input order (default: as they finish)'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l resume -d 'Skip items already done in --output / --out-dir; retry the failed ones'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l force -d 'Replace the results of an earlier run in --output / --out-dir (refused otherwise)'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l remote -d 'Run the job on DashScope\'s Batch API (half price, finishes within --window)'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l detach -d 'Submit the remote job, print its id as JSON and exit'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l no-cache-prompt -d 'Send no prompt-cache markers, even if the profile turns them on'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -a "status" -d 'Show the status of a remote job (the newest one by default)'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -a "fetch" -d 'Wait for a remote job and write its results like a finished run'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -a "cancel" -d 'Cancel a remote job\'s batches (finished lines stay fetchable)'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -a "list" -d 'List remote jobs submitted from this machine'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and not __fish_seen_subcommand_from status fetch cancel list help" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from status" -l format -d 'Output format' -r -f -a "text\t'Plain text (replies), an aligned table (reports)'
jsonl\t'One JSON object per line'
json\t'One JSON object'"
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from status" -l profile -d 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from status" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from status" -l base-url -d 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from status" -l api -d 'Wire protocol: compat (OpenAI-compatible) or native (DashScope\'s own API); with --base-url, give that protocol\'s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]' -r -f -a "compat\t'OpenAI-compatible (`/compatible-mode/v1`, and local servers)'
native\t'DashScope native (`/api/v1/services/...`)'"
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from status" -s m -l model -d 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from status" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from status" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from status" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from status" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from status" -l max-input -d 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from status" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from status" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from status" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from fetch" -s o -l output -d 'Write the JSONL results to this file (default: the submitting run\'s)' -r -F
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from fetch" -l out-dir -d 'Write each reply to its own file under DIR (default: the submitting run\'s)' -r -F
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from fetch" -l poll-interval -d 'First wait between status polls' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from fetch" -l format -d 'Output format' -r -f -a "text\t'Plain text (replies), an aligned table (reports)'
jsonl\t'One JSON object per line'
json\t'One JSON object'"
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from fetch" -l profile -d 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from fetch" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from fetch" -l base-url -d 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from fetch" -l api -d 'Wire protocol: compat (OpenAI-compatible) or native (DashScope\'s own API); with --base-url, give that protocol\'s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]' -r -f -a "compat\t'OpenAI-compatible (`/compatible-mode/v1`, and local servers)'
native\t'DashScope native (`/api/v1/services/...`)'"
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from fetch" -s m -l model -d 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from fetch" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from fetch" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from fetch" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from fetch" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from fetch" -l max-input -d 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from fetch" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from fetch" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from fetch" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from fetch" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from fetch" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from cancel" -l format -d 'Output format' -r -f -a "text\t'Plain text (replies), an aligned table (reports)'
jsonl\t'One JSON object per line'
json\t'One JSON object'"
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from cancel" -l profile -d 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from cancel" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from cancel" -l base-url -d 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from cancel" -l api -d 'Wire protocol: compat (OpenAI-compatible) or native (DashScope\'s own API); with --base-url, give that protocol\'s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]' -r -f -a "compat\t'OpenAI-compatible (`/compatible-mode/v1`, and local servers)'
native\t'DashScope native (`/api/v1/services/...`)'"
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from cancel" -s m -l model -d 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from cancel" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from cancel" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from cancel" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from cancel" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from cancel" -l max-input -d 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from cancel" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from cancel" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from cancel" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from cancel" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from cancel" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from list" -l format -d 'Output format' -r -f -a "text\t'Plain text (replies), an aligned table (reports)'
jsonl\t'One JSON object per line'
json\t'One JSON object'"
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from list" -l profile -d 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from list" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from list" -l base-url -d 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from list" -l api -d 'Wire protocol: compat (OpenAI-compatible) or native (DashScope\'s own API); with --base-url, give that protocol\'s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]' -r -f -a "compat\t'OpenAI-compatible (`/compatible-mode/v1`, and local servers)'
native\t'DashScope native (`/api/v1/services/...`)'"
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from list" -s m -l model -d 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from list" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from list" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from list" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from list" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from list" -l max-input -d 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from list" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from list" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from help" -f -a "status" -d 'Show the status of a remote job (the newest one by default)'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from help" -f -a "fetch" -d 'Wait for a remote job and write its results like a finished run'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from help" -f -a "cancel" -d 'Cancel a remote job\'s batches (finished lines stay fetchable)'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from help" -f -a "list" -d 'List remote jobs submitted from this machine'
complete -c qwen -n "__fish_qwen_using_subcommand batch; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c qwen -n "__fish_qwen_using_subcommand usage; and not __fish_seen_subcommand_from log help" -l since -d 'Start of the window: `7d` or `24h` ago, a UTC date `2026-11-01`, `today`, `yesterday`' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and not __fish_seen_subcommand_from log help" -l until -d 'End of the window (exclusive), in the same forms as --since' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and not __fish_seen_subcommand_from log help" -s m -l model -d 'Only calls to this model (repeatable, or comma-separated)' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and not __fish_seen_subcommand_from log help" -l command -d 'Only calls made by this command, e.g. `chat` or `batch` (repeatable, or comma-separated)' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and not __fish_seen_subcommand_from log help" -l profile -d 'Only calls made under this config profile (repeatable, or comma-separated)' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and not __fish_seen_subcommand_from log help" -l by -d 'Split the totals by these keys (repeatable, or comma-separated, e.g. `day,model`)' -r -f -a "day\t'The UTC day'
model\t'The model asked for'
command\t'The `qwen` command'
profile\t'The config profile'"
complete -c qwen -n "__fish_qwen_using_subcommand usage; and not __fish_seen_subcommand_from log help" -l budget -d 'Exit with status 7 when the estimated spend in the window exceeds this, e.g. `5` or `30cny` (without a currency, every currency is held to it)' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and not __fish_seen_subcommand_from log help" -l format -d 'Output format' -r -f -a "table\t'An aligned table (`qwen usage`)'
text\t'Plain text (replies), an aligned table (reports)'
json\t'One JSON object'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header line (`qwen usage`)'
prometheus\t'Prometheus text format for node_exporter\'s textfile collector (`qwen usage`)'"
complete -c qwen -n "__fish_qwen_using_subcommand usage; and not __fish_seen_subcommand_from log help" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and not __fish_seen_subcommand_from log help" -l base-url -d 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and not __fish_seen_subcommand_from log help" -l api -d 'Wire protocol: compat (OpenAI-compatible) or native (DashScope\'s own API); with --base-url, give that protocol\'s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]' -r -f -a "compat\t'OpenAI-compatible (`/compatible-mode/v1`, and local servers)'
native\t'DashScope native (`/api/v1/services/...`)'"
complete -c qwen -n "__fish_qwen_using_subcommand usage; and not __fish_seen_subcommand_from log help" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and not __fish_seen_subcommand_from log help" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and not __fish_seen_subcommand_from log help" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and not __fish_seen_subcommand_from log help" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and not __fish_seen_subcommand_from log help" -l max-input -d 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and not __fish_seen_subcommand_from log help" -l wide -d 'Show every column in the table (the default fits 80 columns; json, jsonl, csv and prometheus always carry every field)'
complete -c qwen -n "__fish_qwen_using_subcommand usage; and not __fish_seen_subcommand_from log help" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_using_subcommand usage; and not __fish_seen_subcommand_from log help" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand usage; and not __fish_seen_subcommand_from log help" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_using_subcommand usage; and not __fish_seen_subcommand_from log help" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_using_subcommand usage; and not __fish_seen_subcommand_from log help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_using_subcommand usage; and not __fish_seen_subcommand_from log help" -f -a "log" -d 'List recorded calls, oldest first (the filters of `qwen usage` apply)'
complete -c qwen -n "__fish_qwen_using_subcommand usage; and not __fish_seen_subcommand_from log help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c qwen -n "__fish_qwen_using_subcommand usage; and __fish_seen_subcommand_from log" -s n -l limit -d 'Show the last N calls' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and __fish_seen_subcommand_from log" -l format -d 'Output format' -r -f -a "table\t'An aligned table (`qwen usage`)'
text\t'Plain text (replies), an aligned table (reports)'
json\t'One JSON object'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values with a header line (`qwen usage`)'"
complete -c qwen -n "__fish_qwen_using_subcommand usage; and __fish_seen_subcommand_from log" -l since -d 'Start of the window: `7d` or `24h` ago, a UTC date `2026-11-01`, `today`, `yesterday`' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and __fish_seen_subcommand_from log" -l until -d 'End of the window (exclusive), in the same forms as --since' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and __fish_seen_subcommand_from log" -s m -l model -d 'Only calls to this model (repeatable, or comma-separated)' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and __fish_seen_subcommand_from log" -l command -d 'Only calls made by this command, e.g. `chat` or `batch` (repeatable, or comma-separated)' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and __fish_seen_subcommand_from log" -l profile -d 'Only calls made under this config profile (repeatable, or comma-separated)' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and __fish_seen_subcommand_from log" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and __fish_seen_subcommand_from log" -l base-url -d 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and __fish_seen_subcommand_from log" -l api -d 'Wire protocol: compat (OpenAI-compatible) or native (DashScope\'s own API); with --base-url, give that protocol\'s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]' -r -f -a "compat\t'OpenAI-compatible (`/compatible-mode/v1`, and local servers)'
native\t'DashScope native (`/api/v1/services/...`)'"
complete -c qwen -n "__fish_qwen_using_subcommand usage; and __fish_seen_subcommand_from log" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and __fish_seen_subcommand_from log" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and __fish_seen_subcommand_from log" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and __fish_seen_subcommand_from log" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and __fish_seen_subcommand_from log" -l max-input -d 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and __fish_seen_subcommand_from log" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_using_subcommand usage; and __fish_seen_subcommand_from log" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand usage; and __fish_seen_subcommand_from log" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_using_subcommand usage; and __fish_seen_subcommand_from log" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_using_subcommand usage; and __fish_seen_subcommand_from log" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_using_subcommand usage; and __fish_seen_subcommand_from help" -f -a "log" -d 'List recorded calls, oldest first (the filters of `qwen usage` apply)'
complete -c qwen -n "__fish_qwen_using_subcommand usage; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c qwen -n "__fish_qwen_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -l format -d 'Output format' -r -f -a "text\t'Plain text (replies), an aligned table (reports)'
table\t'An aligned table (`qwen usage`)'
json\t'One JSON object'
jsonl\t'One JSON object per line'"
complete -c qwen -n "__fish_qwen_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -l profile -d 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -l base-url -d 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -l api -d 'Wire protocol: compat (OpenAI-compatible) or native (DashScope\'s own API); with --base-url, give that protocol\'s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]' -r -f -a "compat\t'OpenAI-compatible (`/compatible-mode/v1`, and local servers)'
native\t'DashScope native (`/api/v1/services/...`)'"
complete -c qwen -n "__fish_qwen_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -s m -l model -d 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -l max-input -d 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -f -a "stats" -d 'Show how many replies are stored and what cache hits saved (the default)'
complete -c qwen -n "__fish_qwen_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -f -a "clear" -d 'Delete stored replies'
complete -c qwen -n "__fish_qwen_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from stats" -l format -d 'Output format' -r -f -a "text\t'Plain text (replies), an aligned table (reports)'
table\t'An aligned table (`qwen usage`)'
json\t'One JSON object'
jsonl\t'One JSON object per line'"
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from stats" -l profile -d 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from stats" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from stats" -l base-url -d 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from stats" -l api -d 'Wire protocol: compat (OpenAI-compatible) or native (DashScope\'s own API); with --base-url, give that protocol\'s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]' -r -f -a "compat\t'OpenAI-compatible (`/compatible-mode/v1`, and local servers)'
native\t'DashScope native (`/api/v1/services/...`)'"
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from stats" -s m -l model -d 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from stats" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from stats" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from stats" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from stats" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from stats" -l max-input -d 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from stats" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from stats" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from stats" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from stats" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from stats" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from clear" -l older-than -d 'Delete only replies stored longer ago than this, e.g. `7d`' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from clear" -l format -d 'Output format' -r -f -a "text\t'Plain text (replies), an aligned table (reports)'
table\t'An aligned table (`qwen usage`)'
json\t'One JSON object'
jsonl\t'One JSON object per line'"
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from clear" -l profile -d 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from clear" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from clear" -l base-url -d 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from clear" -l api -d 'Wire protocol: compat (OpenAI-compatible) or native (DashScope\'s own API); with --base-url, give that protocol\'s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]' -r -f -a "compat\t'OpenAI-compatible (`/compatible-mode/v1`, and local servers)'
native\t'DashScope native (`/api/v1/services/...`)'"
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from clear" -s m -l model -d 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from clear" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from clear" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from clear" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from clear" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from clear" -l max-input -d 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from clear" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from clear" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from clear" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from clear" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from clear" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "stats" -d 'Show how many replies are stored and what cache hits saved (the default)'
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "clear" -d 'Delete stored replies'
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c qwen -n "__fish_qwen_using_subcommand files; and not __fish_seen_subcommand_from list rm prune help" -l format -r -f -a "text\t'Plain text (replies), an aligned table (reports)'
jsonl\t'One JSON object per line'
json\t'One JSON object'
table\t'An aligned table (`qwen usage`)'
csv\t'Comma-separated values with a header line (`qwen usage`)'
prometheus\t'Prometheus text format for node_exporter\'s textfile collector (`qwen usage`)'"
complete -c qwen -n "__fish_qwen_using_subcommand files; and not __fish_seen_subcommand_from list rm prune help" -l profile -d 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]' -r
complete -c qwen -n "__fish_qwen_using_subcommand files; and not __fish_seen_subcommand_from list rm prune help" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]' -r
complete -c qwen -n "__fish_qwen_using_subcommand files; and not __fish_seen_subcommand_from list rm prune help" -l base-url -d 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]' -r
complete -c qwen -n "__fish_qwen_using_subcommand files; and not __fish_seen_subcommand_from list rm prune help" -l api -d 'Wire protocol: compat (OpenAI-compatible) or native (DashScope\'s own API); with --base-url, give that protocol\'s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]' -r -f -a "compat\t'OpenAI-compatible (`/compatible-mode/v1`, and local servers)'
native\t'DashScope native (`/api/v1/services/...`)'"
complete -c qwen -n "__fish_qwen_using_subcommand files; and not __fish_seen_subcommand_from list rm prune help" -s m -l model -d 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]' -r
complete -c qwen -n "__fish_qwen_using_subcommand files; and not __fish_seen_subcommand_from list rm prune help" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]' -r
complete -c qwen -n "__fish_qwen_using_subcommand files; and not __fish_seen_subcommand_from list rm prune help" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]' -r
complete -c qwen -n "__fish_qwen_using_subcommand files; and not __fish_seen_subcommand_from list rm prune help" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]' -r
complete -c qwen -n "__fish_qwen_using_subcommand files; and not __fish_seen_subcommand_from list rm prune help" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]' -r
complete -c qwen -n "__fish_qwen_using_subcommand files; and not __fish_seen_subcommand_from list rm prune help" -l max-input -d 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]' -r
complete -c qwen -n "__fish_qwen_using_subcommand files; and not __fish_seen_subcommand_from list rm prune help" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_using_subcommand files; and not __fish_seen_subcommand_from list rm prune help" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand files; and not __fish_seen_subcommand_from list rm prune help" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_using_subcommand files; and not __fish_seen_subcommand_from list rm prune help" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_using_subcommand files; and not __fish_seen_subcommand_from list rm prune help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_using_subcommand files; and not __fish_seen_subcommand_from list rm prune help" -f -a "list" -d 'List uploaded documents, marked where each exists (local, server or both)'
complete -c qwen -n "__fish_qwen_using_subcommand files; and not __fish_seen_subcommand_from list rm prune help" -f -a "rm" -d 'Delete documents on the server and locally, by file id or by the path uploaded'
complete -c qwen -n "__fish_qwen_using_subcommand files; and not __fish_seen_subcommand_from list rm prune help" -f -a "prune" -d 'Forget local rows whose server file is gone; `--older-than` deletes older uploads'
complete -c qwen -n "__fish_qwen_using_subcommand files; and not __fish_seen_subcommand_from list rm prune help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from list" -l format -d 'Output format' -r -f -a "text\t'Plain text (replies), an aligned table (reports)'
jsonl\t'One JSON object per line'
json\t'One JSON object'"
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from list" -l profile -d 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]' -r
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from list" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]' -r
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from list" -l base-url -d 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]' -r
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from list" -l api -d 'Wire protocol: compat (OpenAI-compatible) or native (DashScope\'s own API); with --base-url, give that protocol\'s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]' -r -f -a "compat\t'OpenAI-compatible (`/compatible-mode/v1`, and local servers)'
native\t'DashScope native (`/api/v1/services/...`)'"
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from list" -s m -l model -d 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]' -r
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from list" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]' -r
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from list" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]' -r
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from list" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]' -r
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from list" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]' -r
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from list" -l max-input -d 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]' -r
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from list" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from list" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from rm" -l format -r -f -a "text\t'Plain text (replies), an aligned table (reports)'
jsonl\t'One JSON object per line'
json\t'One JSON object'
table\t'An aligned table (`qwen usage`)'
csv\t'Comma-separated values with a header line (`qwen usage`)'
prometheus\t'Prometheus text format for node_exporter\'s textfile collector (`qwen usage`)'"
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from rm" -l profile -d 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]' -r
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from rm" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]' -r
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from rm" -l base-url -d 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]' -r
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from rm" -l api -d 'Wire protocol: compat (OpenAI-compatible) or native (DashScope\'s own API); with --base-url, give that protocol\'s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]' -r -f -a "compat\t'OpenAI-compatible (`/compatible-mode/v1`, and local servers)'
native\t'DashScope native (`/api/v1/services/...`)'"
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from rm" -s m -l model -d 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]' -r
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from rm" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]' -r
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from rm" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]' -r
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from rm" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]' -r
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from rm" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]' -r
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from rm" -l max-input -d 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]' -r
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from rm" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from rm" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from rm" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from rm" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from prune" -l older-than -d 'Also delete this machine\'s uploads older than this, e.g. `30d`, on the server' -r
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from prune" -l format -r -f -a "text\t'Plain text (replies), an aligned table (reports)'
jsonl\t'One JSON object per line'
json\t'One JSON object'
table\t'An aligned table (`qwen usage`)'
csv\t'Comma-separated values with a header line (`qwen usage`)'
prometheus\t'Prometheus text format for node_exporter\'s textfile collector (`qwen usage`)'"
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from prune" -l profile -d 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]' -r
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from prune" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]' -r
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from prune" -l base-url -d 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]' -r
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from prune" -l api -d 'Wire protocol: compat (OpenAI-compatible) or native (DashScope\'s own API); with --base-url, give that protocol\'s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]' -r -f -a "compat\t'OpenAI-compatible (`/compatible-mode/v1`, and local servers)'
native\t'DashScope native (`/api/v1/services/...`)'"
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from prune" -s m -l model -d 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]' -r
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from prune" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]' -r
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from prune" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]' -r
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from prune" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]' -r
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from prune" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]' -r
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from prune" -l max-input -d 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]' -r
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from prune" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from prune" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from prune" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from prune" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from help" -f -a "list" -d 'List uploaded documents, marked where each exists (local, server or both)'
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Delete documents on the server and locally, by file id or by the path uploaded'
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from help" -f -a "prune" -d 'Forget local rows whose server file is gone; `--older-than` deletes older uploads'
complete -c qwen -n "__fish_qwen_using_subcommand files; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c qwen -n "__fish_qwen_using_subcommand tools; and not __fish_seen_subcommand_from run list call help" -l format -d 'Output format' -r -f -a "text\t'Plain text (replies), an aligned table (reports)'
jsonl\t'One JSON object per line'
json\t'One JSON object'"
complete -c qwen -n "__fish_qwen_using_subcommand tools; and not __fish_seen_subcommand_from run list call help" -l profile -d 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and not __fish_seen_subcommand_from run list call help" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and not __fish_seen_subcommand_from run list call help" -l base-url -d 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and not __fish_seen_subcommand_from run list call help" -l api -d 'Wire protocol: compat (OpenAI-compatible) or native (DashScope\'s own API); with --base-url, give that protocol\'s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]' -r -f -a "compat\t'OpenAI-compatible (`/compatible-mode/v1`, and local servers)'
native\t'DashScope native (`/api/v1/services/...`)'"
complete -c qwen -n "__fish_qwen_using_subcommand tools; and not __fish_seen_subcommand_from run list call help" -s m -l model -d 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and not __fish_seen_subcommand_from run list call help" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and not __fish_seen_subcommand_from run list call help" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and not __fish_seen_subcommand_from run list call help" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and not __fish_seen_subcommand_from run list call help" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and not __fish_seen_subcommand_from run list call help" -l max-input -d 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and not __fish_seen_subcommand_from run list call help" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_using_subcommand tools; and not __fish_seen_subcommand_from run list call help" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand tools; and not __fish_seen_subcommand_from run list call help" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_using_subcommand tools; and not __fish_seen_subcommand_from run list call help" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_using_subcommand tools; and not __fish_seen_subcommand_from run list call help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_using_subcommand tools; and not __fish_seen_subcommand_from run list call help" -f -a "run" -d 'Send a prompt with the tools and run the calls the model asks for until it answers'
complete -c qwen -n "__fish_qwen_using_subcommand tools; and not __fish_seen_subcommand_from run list call help" -f -a "list" -d 'List every tool and where it was defined'
complete -c qwen -n "__fish_qwen_using_subcommand tools; and not __fish_seen_subcommand_from run list call help" -f -a "call" -d 'Run one tool directly, without the model, to test its definition'
complete -c qwen -n "__fish_qwen_using_subcommand tools; and not __fish_seen_subcommand_from run list call help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l tools -d 'Read tool definitions from this TOML file (repeatable)' -r -F
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l mcp -d 'Start this MCP server over stdio, e.g. `--mcp \'npx -y @scope/server\'`; prefix `NAME=` to name its tools `NAME.tool` (repeatable)' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l allow -d 'Run this tool without asking (repeatable; `SERVER.*` allows an MCP server\'s tools)' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l max-steps -d 'Stop (exit 8) when the model still calls tools after this many requests' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l transcript -d 'Also write the JSONL audit trail (every event of `--format jsonl`) to this file' -r -F
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -s s -l system -d 'System prompt' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l system-file -d 'Read the system prompt from a file' -r -F
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -s f -l file -d 'Attach a file to the prompt, with its path as a header (repeatable)' -r -F
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -s a -l attach -d 'Attach an image, video or audio file, an http(s):// or oss:// URL, or `-` for standard input (repeatable; sent after the prompt\'s text, in order)' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l attach-frames -d 'Attach a folder of images as one video, a frame per image sorted by name (repeatable)' -r -F
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l doc -d 'Upload a document for Qwen-Long to read (pdf, docx, txt, md, …; repeatable; uploaded once per content, referenced as `fileid://`; default model `doc_model`)' -r -F
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l temperature -d 'Sampling temperature, in [0, 2)' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l top-p -d 'Nucleus sampling probability, in (0, 1]' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l top-k -d 'Sample from the K most likely tokens' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l max-tokens -d 'Maximum tokens in the reply' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l seed -d 'Seed for reproducible sampling' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l stop -d 'Stop when the model produces this text (repeatable)' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l presence-penalty -d 'Presence penalty, in [-2, 2]' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l repetition-penalty -d 'Repetition penalty (1.0 = none)' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l thinking-budget -d 'Maximum reasoning tokens' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l schema -d 'Ask for a reply matching this JSON Schema file; the reply is validated locally' -r -F
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l extra -d 'Add any other field to the request body, e.g. `--extra \'n=2\'` (repeatable)' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l cache-prompt -d 'Mark the stable prefix (system prompt, files, earlier turns) for the service\'s explicit prompt cache; `=auto` only where it pays [config: cache_prompt]' -r -f -a "on\t''
auto\t''"
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l render -d 'Draw the reply as Markdown: `auto` (when stdout is a terminal), `always` (into a pipe too) or `never` [default: from config, else auto]' -r -f -a "auto\t'When stdout is a terminal'
always\t'Even into a pipe or a file'
never\t'Never'"
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l fallback-model -d 'Try this model when the main one is unavailable or keeps failing (repeatable)' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l format -d 'Output format' -r -f -a "text\t'Plain text (replies), an aligned table (reports)'
jsonl\t'One JSON object per line'
json\t'One JSON object'"
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l profile -d 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l base-url -d 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l api -d 'Wire protocol: compat (OpenAI-compatible) or native (DashScope\'s own API); with --base-url, give that protocol\'s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]' -r -f -a "compat\t'OpenAI-compatible (`/compatible-mode/v1`, and local servers)'
native\t'DashScope native (`/api/v1/services/...`)'"
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -s m -l model -d 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l max-input -d 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l allow-all -d 'Run every tool without asking'
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l no-stdin -d 'Never read standard input, even when it is a pipe'
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l lossy -d 'Accept non-UTF-8 input, replacing invalid bytes with U+FFFD'
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l high-resolution -d 'Ask vision models to read images at high resolution (`vl_high_resolution_images`)'
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l think -d 'Turn thinking (reasoning) on for hybrid models'
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l no-think -d 'Turn thinking off for hybrid models'
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l search -d 'Let the model search the web (`enable_search`)'
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l json -d 'Ask for a JSON object reply; the reply is checked to be JSON'
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l no-stream -d 'Wait for the whole reply instead of streaming it'
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l show-thinking -d 'Show reasoning on stderr even when stderr is not a terminal'
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l hide-thinking -d 'Never show reasoning'
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -s u -l usage -d 'Print token usage to stderr when the reply is complete'
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l no-cache-prompt -d 'Send no prompt-cache markers, even if the profile turns them on'
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from list" -l tools -d 'Read tool definitions from this TOML file (repeatable)' -r -F
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from list" -l mcp -d 'Start this MCP server over stdio, e.g. `--mcp \'npx -y @scope/server\'`; prefix `NAME=` to name its tools `NAME.tool` (repeatable)' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from list" -l format -d 'Output format' -r -f -a "text\t'Plain text (replies), an aligned table (reports)'
jsonl\t'One JSON object per line'
json\t'One JSON object'"
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from list" -l profile -d 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from list" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from list" -l base-url -d 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from list" -l api -d 'Wire protocol: compat (OpenAI-compatible) or native (DashScope\'s own API); with --base-url, give that protocol\'s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]' -r -f -a "compat\t'OpenAI-compatible (`/compatible-mode/v1`, and local servers)'
native\t'DashScope native (`/api/v1/services/...`)'"
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from list" -s m -l model -d 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from list" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from list" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from list" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from list" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from list" -l max-input -d 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from list" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from list" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from call" -l tools -d 'Read tool definitions from this TOML file (repeatable)' -r -F
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from call" -l mcp -d 'Start this MCP server over stdio, e.g. `--mcp \'npx -y @scope/server\'`; prefix `NAME=` to name its tools `NAME.tool` (repeatable)' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from call" -l format -d 'Output format' -r -f -a "text\t'Plain text (replies), an aligned table (reports)'
jsonl\t'One JSON object per line'
json\t'One JSON object'"
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from call" -l profile -d 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from call" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from call" -l base-url -d 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from call" -l api -d 'Wire protocol: compat (OpenAI-compatible) or native (DashScope\'s own API); with --base-url, give that protocol\'s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]' -r -f -a "compat\t'OpenAI-compatible (`/compatible-mode/v1`, and local servers)'
native\t'DashScope native (`/api/v1/services/...`)'"
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from call" -s m -l model -d 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from call" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from call" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from call" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from call" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from call" -l max-input -d 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]' -r
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from call" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from call" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from call" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from call" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from call" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from help" -f -a "run" -d 'Send a prompt with the tools and run the calls the model asks for until it answers'
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from help" -f -a "list" -d 'List every tool and where it was defined'
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from help" -f -a "call" -d 'Run one tool directly, without the model, to test its definition'
complete -c qwen -n "__fish_qwen_using_subcommand tools; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c qwen -n "__fish_qwen_using_subcommand complete" -s f -l file -d 'Append a file\'s contents to the prompt verbatim (repeatable)' -r -F
complete -c qwen -n "__fish_qwen_using_subcommand complete" -l suffix -d 'Fill in the middle: the text that comes after the completion' -r
complete -c qwen -n "__fish_qwen_using_subcommand complete" -l suffix-file -d 'Read the fill-in-the-middle suffix from a file' -r -F
complete -c qwen -n "__fish_qwen_using_subcommand complete" -s m -l model -d 'Completion model [default: qwen-coder-turbo]' -r
complete -c qwen -n "__fish_qwen_using_subcommand complete" -l temperature -d 'Sampling temperature, in [0, 2)' -r
complete -c qwen -n "__fish_qwen_using_subcommand complete" -l top-p -d 'Nucleus sampling probability, in (0, 1]' -r
complete -c qwen -n "__fish_qwen_using_subcommand complete" -l top-k -d 'Sample from the K most likely tokens' -r
complete -c qwen -n "__fish_qwen_using_subcommand complete" -l max-tokens -d 'Maximum tokens in the reply' -r
complete -c qwen -n "__fish_qwen_using_subcommand complete" -l seed -d 'Seed for reproducible sampling' -r
complete -c qwen -n "__fish_qwen_using_subcommand complete" -l stop -d 'Stop when the model produces this text (repeatable)' -r
complete -c qwen -n "__fish_qwen_using_subcommand complete" -l presence-penalty -d 'Presence penalty, in [-2, 2]' -r
complete -c qwen -n "__fish_qwen_using_subcommand complete" -l repetition-penalty -d 'Repetition penalty (1.0 = none)' -r
complete -c qwen -n "__fish_qwen_using_subcommand complete" -l thinking-budget -d 'Maximum reasoning tokens' -r
complete -c qwen -n "__fish_qwen_using_subcommand complete" -l schema -d 'Ask for a reply matching this JSON Schema file; the reply is validated locally' -r -F
complete -c qwen -n "__fish_qwen_using_subcommand complete" -l extra -d 'Add any other field to the request body, e.g. `--extra \'n=2\'` (repeatable)' -r
complete -c qwen -n "__fish_qwen_using_subcommand complete" -l format -d 'Output format' -r -f -a "text\t'Plain text (replies), an aligned table (reports)'
jsonl\t'One JSON object per line'
json\t'One JSON object'"
complete -c qwen -n "__fish_qwen_using_subcommand complete" -l profile -d 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]' -r
complete -c qwen -n "__fish_qwen_using_subcommand complete" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]' -r
complete -c qwen -n "__fish_qwen_using_subcommand complete" -l base-url -d 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]' -r
complete -c qwen -n "__fish_qwen_using_subcommand complete" -l api -d 'Wire protocol: compat (OpenAI-compatible) or native (DashScope\'s own API); with --base-url, give that protocol\'s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]' -r -f -a "compat\t'OpenAI-compatible (`/compatible-mode/v1`, and local servers)'
native\t'DashScope native (`/api/v1/services/...`)'"
complete -c qwen -n "__fish_qwen_using_subcommand complete" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]' -r
complete -c qwen -n "__fish_qwen_using_subcommand complete" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]' -r
complete -c qwen -n "__fish_qwen_using_subcommand complete" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]' -r
complete -c qwen -n "__fish_qwen_using_subcommand complete" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]' -r
complete -c qwen -n "__fish_qwen_using_subcommand complete" -l max-input -d 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]' -r
complete -c qwen -n "__fish_qwen_using_subcommand complete" -l no-stdin -d 'Never read standard input, even when it is a pipe'
complete -c qwen -n "__fish_qwen_using_subcommand complete" -l lossy -d 'Accept non-UTF-8 input, replacing invalid bytes with U+FFFD'
complete -c qwen -n "__fish_qwen_using_subcommand complete" -l partial -l prefix -d 'Continue the prompt in partial mode over chat completions (any model, any region; the catalogue\'s chat models use it without this flag); `--prefix` is the same'
complete -c qwen -n "__fish_qwen_using_subcommand complete" -l think -d 'Turn thinking (reasoning) on for hybrid models'
complete -c qwen -n "__fish_qwen_using_subcommand complete" -l no-think -d 'Turn thinking off for hybrid models'
complete -c qwen -n "__fish_qwen_using_subcommand complete" -l search -d 'Let the model search the web (`enable_search`)'
complete -c qwen -n "__fish_qwen_using_subcommand complete" -l json -d 'Ask for a JSON object reply; the reply is checked to be JSON'
complete -c qwen -n "__fish_qwen_using_subcommand complete" -l no-stream -d 'Wait for the whole reply instead of streaming it'
complete -c qwen -n "__fish_qwen_using_subcommand complete" -l show-thinking -d 'Show reasoning on stderr even when stderr is not a terminal'
complete -c qwen -n "__fish_qwen_using_subcommand complete" -l hide-thinking -d 'Never show reasoning'
complete -c qwen -n "__fish_qwen_using_subcommand complete" -s u -l usage -d 'Print token usage to stderr when the reply is complete'
complete -c qwen -n "__fish_qwen_using_subcommand complete" -l dry-run -d 'Print the request that would be sent (key redacted) and send nothing'
complete -c qwen -n "__fish_qwen_using_subcommand complete" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_using_subcommand complete" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand complete" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_using_subcommand complete" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_using_subcommand complete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_using_subcommand models; and not __fish_seen_subcommand_from show help" -l format -d 'Output format' -r -f -a "text\t'Plain text (replies), an aligned table (reports)'
jsonl\t'One JSON object per line'
json\t'One JSON object'"
complete -c qwen -n "__fish_qwen_using_subcommand models; and not __fish_seen_subcommand_from show help" -l profile -d 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]' -r
complete -c qwen -n "__fish_qwen_using_subcommand models; and not __fish_seen_subcommand_from show help" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]' -r
complete -c qwen -n "__fish_qwen_using_subcommand models; and not __fish_seen_subcommand_from show help" -l base-url -d 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]' -r
complete -c qwen -n "__fish_qwen_using_subcommand models; and not __fish_seen_subcommand_from show help" -l api -d 'Wire protocol: compat (OpenAI-compatible) or native (DashScope\'s own API); with --base-url, give that protocol\'s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]' -r -f -a "compat\t'OpenAI-compatible (`/compatible-mode/v1`, and local servers)'
native\t'DashScope native (`/api/v1/services/...`)'"
complete -c qwen -n "__fish_qwen_using_subcommand models; and not __fish_seen_subcommand_from show help" -s m -l model -d 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]' -r
complete -c qwen -n "__fish_qwen_using_subcommand models; and not __fish_seen_subcommand_from show help" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]' -r
complete -c qwen -n "__fish_qwen_using_subcommand models; and not __fish_seen_subcommand_from show help" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]' -r
complete -c qwen -n "__fish_qwen_using_subcommand models; and not __fish_seen_subcommand_from show help" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]' -r
complete -c qwen -n "__fish_qwen_using_subcommand models; and not __fish_seen_subcommand_from show help" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]' -r
complete -c qwen -n "__fish_qwen_using_subcommand models; and not __fish_seen_subcommand_from show help" -l max-input -d 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]' -r
complete -c qwen -n "__fish_qwen_using_subcommand models; and not __fish_seen_subcommand_from show help" -l offline -d 'Show the built-in catalogue only; do not ask the endpoint'
complete -c qwen -n "__fish_qwen_using_subcommand models; and not __fish_seen_subcommand_from show help" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_using_subcommand models; and not __fish_seen_subcommand_from show help" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand models; and not __fish_seen_subcommand_from show help" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_using_subcommand models; and not __fish_seen_subcommand_from show help" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_using_subcommand models; and not __fish_seen_subcommand_from show help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_using_subcommand models; and not __fish_seen_subcommand_from show help" -f -a "show" -d 'Show everything known about one model'
complete -c qwen -n "__fish_qwen_using_subcommand models; and not __fish_seen_subcommand_from show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c qwen -n "__fish_qwen_using_subcommand models; and __fish_seen_subcommand_from show" -l format -d 'Output format' -r -f -a "text\t'Plain text (replies), an aligned table (reports)'
jsonl\t'One JSON object per line'
json\t'One JSON object'"
complete -c qwen -n "__fish_qwen_using_subcommand models; and __fish_seen_subcommand_from show" -l profile -d 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]' -r
complete -c qwen -n "__fish_qwen_using_subcommand models; and __fish_seen_subcommand_from show" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]' -r
complete -c qwen -n "__fish_qwen_using_subcommand models; and __fish_seen_subcommand_from show" -l base-url -d 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]' -r
complete -c qwen -n "__fish_qwen_using_subcommand models; and __fish_seen_subcommand_from show" -l api -d 'Wire protocol: compat (OpenAI-compatible) or native (DashScope\'s own API); with --base-url, give that protocol\'s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]' -r -f -a "compat\t'OpenAI-compatible (`/compatible-mode/v1`, and local servers)'
native\t'DashScope native (`/api/v1/services/...`)'"
complete -c qwen -n "__fish_qwen_using_subcommand models; and __fish_seen_subcommand_from show" -s m -l model -d 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]' -r
complete -c qwen -n "__fish_qwen_using_subcommand models; and __fish_seen_subcommand_from show" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]' -r
complete -c qwen -n "__fish_qwen_using_subcommand models; and __fish_seen_subcommand_from show" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]' -r
complete -c qwen -n "__fish_qwen_using_subcommand models; and __fish_seen_subcommand_from show" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]' -r
complete -c qwen -n "__fish_qwen_using_subcommand models; and __fish_seen_subcommand_from show" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]' -r
complete -c qwen -n "__fish_qwen_using_subcommand models; and __fish_seen_subcommand_from show" -l max-input -d 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]' -r
complete -c qwen -n "__fish_qwen_using_subcommand models; and __fish_seen_subcommand_from show" -l offline -d 'Show the built-in catalogue only; do not ask the endpoint'
complete -c qwen -n "__fish_qwen_using_subcommand models; and __fish_seen_subcommand_from show" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_using_subcommand models; and __fish_seen_subcommand_from show" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand models; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_using_subcommand models; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_using_subcommand models; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_using_subcommand models; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show everything known about one model'
complete -c qwen -n "__fish_qwen_using_subcommand models; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c qwen -n "__fish_qwen_using_subcommand embed" -s f -l file -d 'Embed a file\'s whole contents as one text (repeatable)' -r -F
complete -c qwen -n "__fish_qwen_using_subcommand embed" -s m -l model -d 'Embedding model [default: text-embedding-v4]' -r
complete -c qwen -n "__fish_qwen_using_subcommand embed" -l dimensions -d 'Vector size, where the model offers a choice (v3: 64 to 1024; v4: up to 2048)' -r
complete -c qwen -n "__fish_qwen_using_subcommand embed" -s j -l concurrency -d 'Requests in flight at most' -r
complete -c qwen -n "__fish_qwen_using_subcommand embed" -l format -d 'Output format' -r -f -a "jsonl\t'One JSON object per line'
json\t'One JSON object'"
complete -c qwen -n "__fish_qwen_using_subcommand embed" -l profile -d 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]' -r
complete -c qwen -n "__fish_qwen_using_subcommand embed" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]' -r
complete -c qwen -n "__fish_qwen_using_subcommand embed" -l base-url -d 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]' -r
complete -c qwen -n "__fish_qwen_using_subcommand embed" -l api -d 'Wire protocol: compat (OpenAI-compatible) or native (DashScope\'s own API); with --base-url, give that protocol\'s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]' -r -f -a "compat\t'OpenAI-compatible (`/compatible-mode/v1`, and local servers)'
native\t'DashScope native (`/api/v1/services/...`)'"
complete -c qwen -n "__fish_qwen_using_subcommand embed" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]' -r
complete -c qwen -n "__fish_qwen_using_subcommand embed" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]' -r
complete -c qwen -n "__fish_qwen_using_subcommand embed" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]' -r
complete -c qwen -n "__fish_qwen_using_subcommand embed" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]' -r
complete -c qwen -n "__fish_qwen_using_subcommand embed" -l max-input -d 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]' -r
complete -c qwen -n "__fish_qwen_using_subcommand embed" -l no-stdin -d 'Never read standard input (otherwise, when it is not a terminal, each line is a text)'
complete -c qwen -n "__fish_qwen_using_subcommand embed" -l no-text -d 'Leave each text out of its output line'
complete -c qwen -n "__fish_qwen_using_subcommand embed" -l lossy -d 'Accept non-UTF-8 input, replacing invalid bytes with U+FFFD'
complete -c qwen -n "__fish_qwen_using_subcommand embed" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_using_subcommand embed" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand embed" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_using_subcommand embed" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_using_subcommand embed" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_using_subcommand rerank" -s f -l file -d 'A file\'s whole contents is one document (repeatable)' -r -F
complete -c qwen -n "__fish_qwen_using_subcommand rerank" -l input -d 'Documents as JSONL lines `{"id": …, "text": "…"}` (`-` for standard input)' -r -F
complete -c qwen -n "__fish_qwen_using_subcommand rerank" -s m -l model -d 'Rerank model [default: qwen3-rerank]' -r
complete -c qwen -n "__fish_qwen_using_subcommand rerank" -l top-n -d 'Keep only the N most relevant documents' -r
complete -c qwen -n "__fish_qwen_using_subcommand rerank" -l instruct -d 'The task, e.g. "Retrieve semantically similar text." (qwen3-rerank)' -r
complete -c qwen -n "__fish_qwen_using_subcommand rerank" -s j -l concurrency -d 'Requests in flight at most' -r
complete -c qwen -n "__fish_qwen_using_subcommand rerank" -l format -d 'Output format' -r -f -a "jsonl\t'One JSON object per line'
json\t'One JSON object'"
complete -c qwen -n "__fish_qwen_using_subcommand rerank" -l profile -d 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]' -r
complete -c qwen -n "__fish_qwen_using_subcommand rerank" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]' -r
complete -c qwen -n "__fish_qwen_using_subcommand rerank" -l base-url -d 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]' -r
complete -c qwen -n "__fish_qwen_using_subcommand rerank" -l api -d 'Wire protocol: compat (OpenAI-compatible) or native (DashScope\'s own API); with --base-url, give that protocol\'s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]' -r -f -a "compat\t'OpenAI-compatible (`/compatible-mode/v1`, and local servers)'
native\t'DashScope native (`/api/v1/services/...`)'"
complete -c qwen -n "__fish_qwen_using_subcommand rerank" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]' -r
complete -c qwen -n "__fish_qwen_using_subcommand rerank" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]' -r
complete -c qwen -n "__fish_qwen_using_subcommand rerank" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]' -r
complete -c qwen -n "__fish_qwen_using_subcommand rerank" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]' -r
complete -c qwen -n "__fish_qwen_using_subcommand rerank" -l max-input -d 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]' -r
complete -c qwen -n "__fish_qwen_using_subcommand rerank" -l no-stdin -d 'Never read standard input (otherwise, when it is not a terminal, each line is a document)'
complete -c qwen -n "__fish_qwen_using_subcommand rerank" -l no-text -d 'Leave each document\'s text out of its output line'
complete -c qwen -n "__fish_qwen_using_subcommand rerank" -l lossy -d 'Accept non-UTF-8 input, replacing invalid bytes with U+FFFD'
complete -c qwen -n "__fish_qwen_using_subcommand rerank" -l dry-run -d 'Print the requests that would be sent (key redacted) and send nothing'
complete -c qwen -n "__fish_qwen_using_subcommand rerank" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_using_subcommand rerank" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand rerank" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_using_subcommand rerank" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_using_subcommand rerank" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_using_subcommand doctor" -l format -d 'Output format' -r -f -a "text\t'Plain text (replies), an aligned table (reports)'
jsonl\t'One JSON object per line'
json\t'One JSON object'"
complete -c qwen -n "__fish_qwen_using_subcommand doctor" -l profile -d 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]' -r
complete -c qwen -n "__fish_qwen_using_subcommand doctor" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]' -r
complete -c qwen -n "__fish_qwen_using_subcommand doctor" -l base-url -d 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]' -r
complete -c qwen -n "__fish_qwen_using_subcommand doctor" -l api -d 'Wire protocol: compat (OpenAI-compatible) or native (DashScope\'s own API); with --base-url, give that protocol\'s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]' -r -f -a "compat\t'OpenAI-compatible (`/compatible-mode/v1`, and local servers)'
native\t'DashScope native (`/api/v1/services/...`)'"
complete -c qwen -n "__fish_qwen_using_subcommand doctor" -s m -l model -d 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]' -r
complete -c qwen -n "__fish_qwen_using_subcommand doctor" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]' -r
complete -c qwen -n "__fish_qwen_using_subcommand doctor" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]' -r
complete -c qwen -n "__fish_qwen_using_subcommand doctor" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]' -r
complete -c qwen -n "__fish_qwen_using_subcommand doctor" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]' -r
complete -c qwen -n "__fish_qwen_using_subcommand doctor" -l max-input -d 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]' -r
complete -c qwen -n "__fish_qwen_using_subcommand doctor" -l no-call -d 'Skip the 1-token test call (it is billed like any other call)'
complete -c qwen -n "__fish_qwen_using_subcommand doctor" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_using_subcommand doctor" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand doctor" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_using_subcommand doctor" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_using_subcommand completions" -l format -r -f -a "text\t'Plain text (replies), an aligned table (reports)'
jsonl\t'One JSON object per line'
json\t'One JSON object'
table\t'An aligned table (`qwen usage`)'
csv\t'Comma-separated values with a header line (`qwen usage`)'
prometheus\t'Prometheus text format for node_exporter\'s textfile collector (`qwen usage`)'"
complete -c qwen -n "__fish_qwen_using_subcommand completions" -l profile -d 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]' -r
complete -c qwen -n "__fish_qwen_using_subcommand completions" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]' -r
complete -c qwen -n "__fish_qwen_using_subcommand completions" -l base-url -d 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]' -r
complete -c qwen -n "__fish_qwen_using_subcommand completions" -l api -d 'Wire protocol: compat (OpenAI-compatible) or native (DashScope\'s own API); with --base-url, give that protocol\'s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]' -r -f -a "compat\t'OpenAI-compatible (`/compatible-mode/v1`, and local servers)'
native\t'DashScope native (`/api/v1/services/...`)'"
complete -c qwen -n "__fish_qwen_using_subcommand completions" -s m -l model -d 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]' -r
complete -c qwen -n "__fish_qwen_using_subcommand completions" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]' -r
complete -c qwen -n "__fish_qwen_using_subcommand completions" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]' -r
complete -c qwen -n "__fish_qwen_using_subcommand completions" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]' -r
complete -c qwen -n "__fish_qwen_using_subcommand completions" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]' -r
complete -c qwen -n "__fish_qwen_using_subcommand completions" -l max-input -d 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]' -r
complete -c qwen -n "__fish_qwen_using_subcommand completions" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_using_subcommand completions" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand completions" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_using_subcommand completions" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_using_subcommand help; and not __fish_seen_subcommand_from chat sessions batch usage cache files tools complete models embed rerank doctor completions help" -f -a "chat" -d 'Send a prompt to a chat model and stream the reply'
complete -c qwen -n "__fish_qwen_using_subcommand help; and not __fish_seen_subcommand_from chat sessions batch usage cache files tools complete models embed rerank doctor completions help" -f -a "sessions" -d 'List, show, export, rename and delete saved conversations'
complete -c qwen -n "__fish_qwen_using_subcommand help; and not __fish_seen_subcommand_from chat sessions batch usage cache files tools complete models embed rerank doctor completions help" -f -a "batch" -d 'Send many prompts (files, or JSONL requests) with bounded concurrency'
complete -c qwen -n "__fish_qwen_using_subcommand help; and not __fish_seen_subcommand_from chat sessions batch usage cache files tools complete models embed rerank doctor completions help" -f -a "usage" -d 'Report tokens, estimated spend, errors and latency from the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand help; and not __fish_seen_subcommand_from chat sessions batch usage cache files tools complete models embed rerank doctor completions help" -f -a "cache" -d 'Show or clear the response cache that `--cache` fills'
complete -c qwen -n "__fish_qwen_using_subcommand help; and not __fish_seen_subcommand_from chat sessions batch usage cache files tools complete models embed rerank doctor completions help" -f -a "files" -d 'List and delete the documents `--doc` uploaded for Qwen-Long'
complete -c qwen -n "__fish_qwen_using_subcommand help; and not __fish_seen_subcommand_from chat sessions batch usage cache files tools complete models embed rerank doctor completions help" -f -a "tools" -d 'Let the model call your own tools (programs, MCP servers) until it answers'
complete -c qwen -n "__fish_qwen_using_subcommand help; and not __fish_seen_subcommand_from chat sessions batch usage cache files tools complete models embed rerank doctor completions help" -f -a "complete" -d 'Continue a raw prompt with a base or coder model, with no chat template'
complete -c qwen -n "__fish_qwen_using_subcommand help; and not __fish_seen_subcommand_from chat sessions batch usage cache files tools complete models embed rerank doctor completions help" -f -a "models" -d 'List the endpoint\'s models with the built-in catalogue\'s limits and prices'
complete -c qwen -n "__fish_qwen_using_subcommand help; and not __fish_seen_subcommand_from chat sessions batch usage cache files tools complete models embed rerank doctor completions help" -f -a "embed" -d 'Embed texts (arguments, standard input lines or files) and print JSONL vectors'
complete -c qwen -n "__fish_qwen_using_subcommand help; and not __fish_seen_subcommand_from chat sessions batch usage cache files tools complete models embed rerank doctor completions help" -f -a "rerank" -d 'Rank documents by relevance to a query and print them as JSONL, best first'
complete -c qwen -n "__fish_qwen_using_subcommand help; and not __fish_seen_subcommand_from chat sessions batch usage cache files tools complete models embed rerank doctor completions help" -f -a "doctor" -d 'Check the config, the API key, the endpoint and the local store'
complete -c qwen -n "__fish_qwen_using_subcommand help; and not __fish_seen_subcommand_from chat sessions batch usage cache files tools complete models embed rerank doctor completions help" -f -a "completions" -d 'Print a shell completion script to stdout'
complete -c qwen -n "__fish_qwen_using_subcommand help; and not __fish_seen_subcommand_from chat sessions batch usage cache files tools complete models embed rerank doctor completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c qwen -n "__fish_qwen_using_subcommand help; and __fish_seen_subcommand_from sessions" -f -a "list" -d 'List saved conversations, most recent first'
complete -c qwen -n "__fish_qwen_using_subcommand help; and __fish_seen_subcommand_from sessions" -f -a "show" -d 'Print a conversation\'s transcript (rendered on a terminal)'
complete -c qwen -n "__fish_qwen_using_subcommand help; and __fish_seen_subcommand_from sessions" -f -a "export" -d 'Print a conversation as Markdown (the default) or JSON messages'
complete -c qwen -n "__fish_qwen_using_subcommand help; and __fish_seen_subcommand_from sessions" -f -a "rename" -d 'Give a conversation a new name'
complete -c qwen -n "__fish_qwen_using_subcommand help; and __fish_seen_subcommand_from sessions" -f -a "rm" -d 'Delete conversations by name or id, or all those unused for a while'
complete -c qwen -n "__fish_qwen_using_subcommand help; and __fish_seen_subcommand_from batch" -f -a "status" -d 'Show the status of a remote job (the newest one by default)'
complete -c qwen -n "__fish_qwen_using_subcommand help; and __fish_seen_subcommand_from batch" -f -a "fetch" -d 'Wait for a remote job and write its results like a finished run'
complete -c qwen -n "__fish_qwen_using_subcommand help; and __fish_seen_subcommand_from batch" -f -a "cancel" -d 'Cancel a remote job\'s batches (finished lines stay fetchable)'
complete -c qwen -n "__fish_qwen_using_subcommand help; and __fish_seen_subcommand_from batch" -f -a "list" -d 'List remote jobs submitted from this machine'
complete -c qwen -n "__fish_qwen_using_subcommand help; and __fish_seen_subcommand_from usage" -f -a "log" -d 'List recorded calls, oldest first (the filters of `qwen usage` apply)'
complete -c qwen -n "__fish_qwen_using_subcommand help; and __fish_seen_subcommand_from cache" -f -a "stats" -d 'Show how many replies are stored and what cache hits saved (the default)'
complete -c qwen -n "__fish_qwen_using_subcommand help; and __fish_seen_subcommand_from cache" -f -a "clear" -d 'Delete stored replies'
complete -c qwen -n "__fish_qwen_using_subcommand help; and __fish_seen_subcommand_from files" -f -a "list" -d 'List uploaded documents, marked where each exists (local, server or both)'
complete -c qwen -n "__fish_qwen_using_subcommand help; and __fish_seen_subcommand_from files" -f -a "rm" -d 'Delete documents on the server and locally, by file id or by the path uploaded'
complete -c qwen -n "__fish_qwen_using_subcommand help; and __fish_seen_subcommand_from files" -f -a "prune" -d 'Forget local rows whose server file is gone; `--older-than` deletes older uploads'
complete -c qwen -n "__fish_qwen_using_subcommand help; and __fish_seen_subcommand_from tools" -f -a "run" -d 'Send a prompt with the tools and run the calls the model asks for until it answers'
complete -c qwen -n "__fish_qwen_using_subcommand help; and __fish_seen_subcommand_from tools" -f -a "list" -d 'List every tool and where it was defined'
complete -c qwen -n "__fish_qwen_using_subcommand help; and __fish_seen_subcommand_from tools" -f -a "call" -d 'Run one tool directly, without the model, to test its definition'
complete -c qwen -n "__fish_qwen_using_subcommand help; and __fish_seen_subcommand_from models" -f -a "show" -d 'Show everything known about one model'
