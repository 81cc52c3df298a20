
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'qwen' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'qwen'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'qwen' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Wire protocol: compat (OpenAI-compatible) or native (DashScope''s own API); with --base-url, give that protocol''s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: text, jsonl or json for replies; table, json, jsonl, csv or prometheus for `qwen usage` [default: from config, else text]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]')
            [CompletionResult]::new('--first-token-timeout', '--first-token-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]')
            [CompletionResult]::new('--max-input', '--max-input', [CompletionResultType]::ParameterName, 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Allow sending the API key over plain http:// to a host that is not loopback')
            [CompletionResult]::new('--no-ledger', '--no-ledger', [CompletionResultType]::ParameterName, 'Do not record this call in the local usage ledger')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('chat', 'chat', [CompletionResultType]::ParameterValue, 'Send a prompt to a chat model and stream the reply')
            [CompletionResult]::new('sessions', 'sessions', [CompletionResultType]::ParameterValue, 'List, show, export, rename and delete saved conversations')
            [CompletionResult]::new('batch', 'batch', [CompletionResultType]::ParameterValue, 'Send many prompts (files, or JSONL requests) with bounded concurrency')
            [CompletionResult]::new('usage', 'usage', [CompletionResultType]::ParameterValue, 'Report tokens, estimated spend, errors and latency from the local usage ledger')
            [CompletionResult]::new('cache', 'cache', [CompletionResultType]::ParameterValue, 'Show or clear the response cache that `--cache` fills')
            [CompletionResult]::new('files', 'files', [CompletionResultType]::ParameterValue, 'List and delete the documents `--doc` uploaded for Qwen-Long')
            [CompletionResult]::new('tools', 'tools', [CompletionResultType]::ParameterValue, 'Let the model call your own tools (programs, MCP servers) until it answers')
            [CompletionResult]::new('complete', 'complete', [CompletionResultType]::ParameterValue, 'Continue a raw prompt with a base or coder model, with no chat template')
            [CompletionResult]::new('models', 'models', [CompletionResultType]::ParameterValue, 'List the endpoint''s models with the built-in catalogue''s limits and prices')
            [CompletionResult]::new('embed', 'embed', [CompletionResultType]::ParameterValue, 'Embed texts (arguments, standard input lines or files) and print JSONL vectors')
            [CompletionResult]::new('rerank', 'rerank', [CompletionResultType]::ParameterValue, 'Rank documents by relevance to a query and print them as JSONL, best first')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the config, the API key, the endpoint and the local store')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script to stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'qwen;chat' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'System prompt')
            [CompletionResult]::new('--system', '--system', [CompletionResultType]::ParameterName, 'System prompt')
            [CompletionResult]::new('--system-file', '--system-file', [CompletionResultType]::ParameterName, 'Read the system prompt from a file')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Attach a file to the prompt, with its path as a header (repeatable)')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Attach a file to the prompt, with its path as a header (repeatable)')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Attach an image, video or audio file, an http(s):// or oss:// URL, or `-` for standard input (repeatable; sent after the prompt''s text, in order)')
            [CompletionResult]::new('--attach', '--attach', [CompletionResultType]::ParameterName, 'Attach an image, video or audio file, an http(s):// or oss:// URL, or `-` for standard input (repeatable; sent after the prompt''s text, in order)')
            [CompletionResult]::new('--attach-frames', '--attach-frames', [CompletionResultType]::ParameterName, 'Attach a folder of images as one video, a frame per image sorted by name (repeatable)')
            [CompletionResult]::new('--doc', '--doc', [CompletionResultType]::ParameterName, 'Upload a document for Qwen-Long to read (pdf, docx, txt, md, …; repeatable; uploaded once per content, referenced as `fileid://`; default model `doc_model`)')
            [CompletionResult]::new('--audio-out', '--audio-out', [CompletionResultType]::ParameterName, 'Ask for a spoken reply too and write it to this WAV file (Omni models; the text still goes to stdout)')
            [CompletionResult]::new('--voice', '--voice', [CompletionResultType]::ParameterName, 'The voice of the spoken reply [default: Cherry]')
            [CompletionResult]::new('--temperature', '--temperature', [CompletionResultType]::ParameterName, 'Sampling temperature, in [0, 2)')
            [CompletionResult]::new('--top-p', '--top-p', [CompletionResultType]::ParameterName, 'Nucleus sampling probability, in (0, 1]')
            [CompletionResult]::new('--top-k', '--top-k', [CompletionResultType]::ParameterName, 'Sample from the K most likely tokens')
            [CompletionResult]::new('--max-tokens', '--max-tokens', [CompletionResultType]::ParameterName, 'Maximum tokens in the reply')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed for reproducible sampling')
            [CompletionResult]::new('--stop', '--stop', [CompletionResultType]::ParameterName, 'Stop when the model produces this text (repeatable)')
            [CompletionResult]::new('--presence-penalty', '--presence-penalty', [CompletionResultType]::ParameterName, 'Presence penalty, in [-2, 2]')
            [CompletionResult]::new('--repetition-penalty', '--repetition-penalty', [CompletionResultType]::ParameterName, 'Repetition penalty (1.0 = none)')
            [CompletionResult]::new('--thinking-budget', '--thinking-budget', [CompletionResultType]::ParameterName, 'Maximum reasoning tokens')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'Ask for a reply matching this JSON Schema file; the reply is validated locally')
            [CompletionResult]::new('--extra', '--extra', [CompletionResultType]::ParameterName, 'Add any other field to the request body, e.g. `--extra ''n=2''` (repeatable)')
            [CompletionResult]::new('--search-strategy', '--search-strategy', [CompletionResultType]::ParameterName, 'How to search (implies --search)')
            [CompletionResult]::new('--render', '--render', [CompletionResultType]::ParameterName, 'Draw the reply as Markdown: `auto` (when stdout is a terminal), `always` (into a pipe too) or `never` [default: from config, else auto]')
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Continue the conversation with this name or id (`qwen sessions list`), or start one with this name')
            [CompletionResult]::new('--max-history', '--max-history', [CompletionResultType]::ParameterName, 'Send at most N earlier messages of the conversation')
            [CompletionResult]::new('--cache-ttl', '--cache-ttl', [CompletionResultType]::ParameterName, 'Reuse only cached replies younger than this, e.g. `1h` (implies --cache)')
            [CompletionResult]::new('--cache-prompt', '--cache-prompt', [CompletionResultType]::ParameterName, 'Mark the stable prefix (system prompt, files, earlier turns) for the service''s explicit prompt cache; `=auto` only where it pays [config: cache_prompt]')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Start the reply with TEXT and let the model continue it (partial mode; no thinking)')
            [CompletionResult]::new('--prefix-file', '--prefix-file', [CompletionResultType]::ParameterName, 'Read the start of the reply from a file (partial mode)')
            [CompletionResult]::new('--fallback-model', '--fallback-model', [CompletionResultType]::ParameterName, 'Try this model when the main one is unavailable or keeps failing (repeatable)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Wire protocol: compat (OpenAI-compatible) or native (DashScope''s own API); with --base-url, give that protocol''s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]')
            [CompletionResult]::new('--first-token-timeout', '--first-token-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]')
            [CompletionResult]::new('--max-input', '--max-input', [CompletionResultType]::ParameterName, 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the request that would be sent (key redacted) and send nothing')
            [CompletionResult]::new('--no-stdin', '--no-stdin', [CompletionResultType]::ParameterName, 'Never read standard input, even when it is a pipe')
            [CompletionResult]::new('--lossy', '--lossy', [CompletionResultType]::ParameterName, 'Accept non-UTF-8 input, replacing invalid bytes with U+FFFD')
            [CompletionResult]::new('--high-resolution', '--high-resolution', [CompletionResultType]::ParameterName, 'Ask vision models to read images at high resolution (`vl_high_resolution_images`)')
            [CompletionResult]::new('--think', '--think', [CompletionResultType]::ParameterName, 'Turn thinking (reasoning) on for hybrid models')
            [CompletionResult]::new('--no-think', '--no-think', [CompletionResultType]::ParameterName, 'Turn thinking off for hybrid models')
            [CompletionResult]::new('--search', '--search', [CompletionResultType]::ParameterName, 'Let the model search the web (`enable_search`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Ask for a JSON object reply; the reply is checked to be JSON')
            [CompletionResult]::new('--no-stream', '--no-stream', [CompletionResultType]::ParameterName, 'Wait for the whole reply instead of streaming it')
            [CompletionResult]::new('--sources', '--sources', [CompletionResultType]::ParameterName, 'Search the web and return the sources and citations (implies --search; sent over DashScope''s native protocol, the only one that returns them)')
            [CompletionResult]::new('--force-search', '--force-search', [CompletionResultType]::ParameterName, 'Search whatever the model decides (implies --search)')
            [CompletionResult]::new('--show-thinking', '--show-thinking', [CompletionResultType]::ParameterName, 'Show reasoning on stderr even when stderr is not a terminal')
            [CompletionResult]::new('--hide-thinking', '--hide-thinking', [CompletionResultType]::ParameterName, 'Never show reasoning')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Print token usage to stderr when the reply is complete')
            [CompletionResult]::new('--usage', '--usage', [CompletionResultType]::ParameterName, 'Print token usage to stderr when the reply is complete')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Continue the most recent conversation')
            [CompletionResult]::new('--continue', '--continue', [CompletionResultType]::ParameterName, 'Continue the most recent conversation')
            [CompletionResult]::new('--no-save', '--no-save', [CompletionResultType]::ParameterName, 'Do not save this exchange (it cannot be continued)')
            [CompletionResult]::new('--list-sessions', '--list-sessions', [CompletionResultType]::ParameterName, 'List saved conversations and exit (the same as `qwen sessions list`)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'Reuse the reply to an identical earlier request from the local cache (and store this one)')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Do not use the response cache, even if the profile turns it on')
            [CompletionResult]::new('--no-cache-prompt', '--no-cache-prompt', [CompletionResultType]::ParameterName, 'Send no prompt-cache markers, even if the profile turns them on')
            [CompletionResult]::new('--no-echo-prefix', '--no-echo-prefix', [CompletionResultType]::ParameterName, 'Print only the continuation, not the prefix before it (with --prefix or --prefix-file)')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Allow sending the API key over plain http:// to a host that is not loopback')
            [CompletionResult]::new('--no-ledger', '--no-ledger', [CompletionResultType]::ParameterName, 'Do not record this call in the local usage ledger')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'qwen;sessions' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'format')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Wire protocol: compat (OpenAI-compatible) or native (DashScope''s own API); with --base-url, give that protocol''s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]')
            [CompletionResult]::new('--first-token-timeout', '--first-token-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]')
            [CompletionResult]::new('--max-input', '--max-input', [CompletionResultType]::ParameterName, 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Allow sending the API key over plain http:// to a host that is not loopback')
            [CompletionResult]::new('--no-ledger', '--no-ledger', [CompletionResultType]::ParameterName, 'Do not record this call in the local usage ledger')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List saved conversations, most recent first')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a conversation''s transcript (rendered on a terminal)')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print a conversation as Markdown (the default) or JSON messages')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Give a conversation a new name')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete conversations by name or id, or all those unused for a while')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'qwen;sessions;list' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Wire protocol: compat (OpenAI-compatible) or native (DashScope''s own API); with --base-url, give that protocol''s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]')
            [CompletionResult]::new('--first-token-timeout', '--first-token-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]')
            [CompletionResult]::new('--max-input', '--max-input', [CompletionResultType]::ParameterName, 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Allow sending the API key over plain http:// to a host that is not loopback')
            [CompletionResult]::new('--no-ledger', '--no-ledger', [CompletionResultType]::ParameterName, 'Do not record this call in the local usage ledger')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'qwen;sessions;show' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Wire protocol: compat (OpenAI-compatible) or native (DashScope''s own API); with --base-url, give that protocol''s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]')
            [CompletionResult]::new('--first-token-timeout', '--first-token-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]')
            [CompletionResult]::new('--max-input', '--max-input', [CompletionResultType]::ParameterName, 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Allow sending the API key over plain http:// to a host that is not loopback')
            [CompletionResult]::new('--no-ledger', '--no-ledger', [CompletionResultType]::ParameterName, 'Do not record this call in the local usage ledger')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'qwen;sessions;export' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Wire protocol: compat (OpenAI-compatible) or native (DashScope''s own API); with --base-url, give that protocol''s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]')
            [CompletionResult]::new('--first-token-timeout', '--first-token-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]')
            [CompletionResult]::new('--max-input', '--max-input', [CompletionResultType]::ParameterName, 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Allow sending the API key over plain http:// to a host that is not loopback')
            [CompletionResult]::new('--no-ledger', '--no-ledger', [CompletionResultType]::ParameterName, 'Do not record this call in the local usage ledger')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'qwen;sessions;rename' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'format')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Wire protocol: compat (OpenAI-compatible) or native (DashScope''s own API); with --base-url, give that protocol''s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]')
            [CompletionResult]::new('--first-token-timeout', '--first-token-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]')
            [CompletionResult]::new('--max-input', '--max-input', [CompletionResultType]::ParameterName, 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Allow sending the API key over plain http:// to a host that is not loopback')
            [CompletionResult]::new('--no-ledger', '--no-ledger', [CompletionResultType]::ParameterName, 'Do not record this call in the local usage ledger')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'qwen;sessions;rm' {
            [CompletionResult]::new('--older-than', '--older-than', [CompletionResultType]::ParameterName, 'Delete every conversation last used longer ago than this, e.g. `30d`')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'format')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Wire protocol: compat (OpenAI-compatible) or native (DashScope''s own API); with --base-url, give that protocol''s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]')
            [CompletionResult]::new('--first-token-timeout', '--first-token-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]')
            [CompletionResult]::new('--max-input', '--max-input', [CompletionResultType]::ParameterName, 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Allow sending the API key over plain http:// to a host that is not loopback')
            [CompletionResult]::new('--no-ledger', '--no-ledger', [CompletionResultType]::ParameterName, 'Do not record this call in the local usage ledger')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'qwen;sessions;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List saved conversations, most recent first')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a conversation''s transcript (rendered on a terminal)')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print a conversation as Markdown (the default) or JSON messages')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Give a conversation a new name')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete conversations by name or id, or all those unused for a while')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'qwen;sessions;help;list' {
            break
        }
        'qwen;sessions;help;show' {
            break
        }
        'qwen;sessions;help;export' {
            break
        }
        'qwen;sessions;help;rename' {
            break
        }
        'qwen;sessions;help;rm' {
            break
        }
        'qwen;sessions;help;help' {
            break
        }
        'qwen;batch' {
            [CompletionResult]::new('--input', '--input', [CompletionResultType]::ParameterName, 'Read requests from a JSONL file instead (`-` for standard input)')
            [CompletionResult]::new('--input-format', '--input-format', [CompletionResultType]::ParameterName, 'What `-` reads from standard input: a list of paths, or JSONL requests')
            [CompletionResult]::new('--prompt', '--prompt', [CompletionResultType]::ParameterName, 'Prompt template for files, with `{path}`, `{name}` and `{content}` placeholders')
            [CompletionResult]::new('--prompt-file', '--prompt-file', [CompletionResultType]::ParameterName, 'Read the prompt template from a file')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'System prompt for every item')
            [CompletionResult]::new('--system', '--system', [CompletionResultType]::ParameterName, 'System prompt for every item')
            [CompletionResult]::new('--system-file', '--system-file', [CompletionResultType]::ParameterName, 'Read the system prompt from a file')
            [CompletionResult]::new('--temperature', '--temperature', [CompletionResultType]::ParameterName, 'Sampling temperature, in [0, 2)')
            [CompletionResult]::new('--top-p', '--top-p', [CompletionResultType]::ParameterName, 'Nucleus sampling probability, in (0, 1]')
            [CompletionResult]::new('--top-k', '--top-k', [CompletionResultType]::ParameterName, 'Sample from the K most likely tokens')
            [CompletionResult]::new('--max-tokens', '--max-tokens', [CompletionResultType]::ParameterName, 'Maximum tokens in the reply')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed for reproducible sampling')
            [CompletionResult]::new('--stop', '--stop', [CompletionResultType]::ParameterName, 'Stop when the model produces this text (repeatable)')
            [CompletionResult]::new('--presence-penalty', '--presence-penalty', [CompletionResultType]::ParameterName, 'Presence penalty, in [-2, 2]')
            [CompletionResult]::new('--repetition-penalty', '--repetition-penalty', [CompletionResultType]::ParameterName, 'Repetition penalty (1.0 = none)')
            [CompletionResult]::new('--thinking-budget', '--thinking-budget', [CompletionResultType]::ParameterName, 'Maximum reasoning tokens')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'Ask for a reply matching this JSON Schema file; the reply is validated locally')
            [CompletionResult]::new('--extra', '--extra', [CompletionResultType]::ParameterName, 'Add any other field to the request body, e.g. `--extra ''n=2''` (repeatable)')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Attach an image, video or audio file, an http(s):// or oss:// URL, or `-` for standard input (repeatable; sent after the prompt''s text, in order)')
            [CompletionResult]::new('--attach', '--attach', [CompletionResultType]::ParameterName, 'Attach an image, video or audio file, an http(s):// or oss:// URL, or `-` for standard input (repeatable; sent after the prompt''s text, in order)')
            [CompletionResult]::new('--attach-frames', '--attach-frames', [CompletionResultType]::ParameterName, 'Attach a folder of images as one video, a frame per image sorted by name (repeatable)')
            [CompletionResult]::new('--search-strategy', '--search-strategy', [CompletionResultType]::ParameterName, 'How to search (implies --search)')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'Only files matching this glob; `!GLOB` excludes (repeatable)')
            [CompletionResult]::new('--glob', '--glob', [CompletionResultType]::ParameterName, 'Only files matching this glob; `!GLOB` excludes (repeatable)')
            [CompletionResult]::new('--max-depth', '--max-depth', [CompletionResultType]::ParameterName, 'Descend at most this many directory levels')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Requests in flight at most')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Requests in flight at most')
            [CompletionResult]::new('--rpm', '--rpm', [CompletionResultType]::ParameterName, 'Start at most N requests per minute')
            [CompletionResult]::new('--tpm', '--tpm', [CompletionResultType]::ParameterName, 'Send at most N input tokens per minute (estimated before, corrected after)')
            [CompletionResult]::new('--drain-timeout', '--drain-timeout', [CompletionResultType]::ParameterName, 'After the first Ctrl-C, wait this long for requests in flight, then abandon them')
            [CompletionResult]::new('--max-items', '--max-items', [CompletionResultType]::ParameterName, 'Take at most N items')
            [CompletionResult]::new('--max-cost', '--max-cost', [CompletionResultType]::ParameterName, 'Stop starting items when the run''s estimated spend would pass this amount (in the price table''s currency: USD, or CNY in Beijing)')
            [CompletionResult]::new('--max-bytes', '--max-bytes', [CompletionResultType]::ParameterName, 'Skip files larger than this (e.g. `200KB`, `1MiB`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the JSONL results to this file instead of stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the JSONL results to this file instead of stdout')
            [CompletionResult]::new('--out-dir', '--out-dir', [CompletionResultType]::ParameterName, 'Write each reply to its own file under DIR, mirroring the input paths')
            [CompletionResult]::new('--ext', '--ext', [CompletionResultType]::ParameterName, 'Extension appended to --out-dir files')
            [CompletionResult]::new('--window', '--window', [CompletionResultType]::ParameterName, 'Completion window of remote batches: 24h to 336h, or 1d to 14d')
            [CompletionResult]::new('--poll-interval', '--poll-interval', [CompletionResultType]::ParameterName, 'First wait between status polls of a remote job (it grows to 5 minutes)')
            [CompletionResult]::new('--max-file-lines', '--max-file-lines', [CompletionResultType]::ParameterName, 'Lines per uploaded file at most')
            [CompletionResult]::new('--max-file-bytes', '--max-file-bytes', [CompletionResultType]::ParameterName, 'Bytes per uploaded file at most')
            [CompletionResult]::new('--max-line-bytes', '--max-line-bytes', [CompletionResultType]::ParameterName, 'Bytes per request line at most; larger items are skipped before anything is uploaded')
            [CompletionResult]::new('--cache-prompt', '--cache-prompt', [CompletionResultType]::ParameterName, 'Mark the stable prefix (system prompt, files, earlier turns) for the service''s explicit prompt cache; `=auto` only where it pays [config: cache_prompt]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Wire protocol: compat (OpenAI-compatible) or native (DashScope''s own API); with --base-url, give that protocol''s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]')
            [CompletionResult]::new('--first-token-timeout', '--first-token-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]')
            [CompletionResult]::new('--max-input', '--max-input', [CompletionResultType]::ParameterName, 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]')
            [CompletionResult]::new('--think', '--think', [CompletionResultType]::ParameterName, 'Turn thinking (reasoning) on for hybrid models')
            [CompletionResult]::new('--no-think', '--no-think', [CompletionResultType]::ParameterName, 'Turn thinking off for hybrid models')
            [CompletionResult]::new('--search', '--search', [CompletionResultType]::ParameterName, 'Let the model search the web (`enable_search`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Ask for a JSON object reply; the reply is checked to be JSON')
            [CompletionResult]::new('--no-stream', '--no-stream', [CompletionResultType]::ParameterName, 'Wait for the whole reply instead of streaming it')
            [CompletionResult]::new('--high-resolution', '--high-resolution', [CompletionResultType]::ParameterName, 'Ask vision models to read images at high resolution (`vl_high_resolution_images`)')
            [CompletionResult]::new('--sources', '--sources', [CompletionResultType]::ParameterName, 'Search the web and return the sources and citations (implies --search; sent over DashScope''s native protocol, the only one that returns them)')
            [CompletionResult]::new('--force-search', '--force-search', [CompletionResultType]::ParameterName, 'Search whatever the model decides (implies --search)')
            [CompletionResult]::new('--hidden', '--hidden', [CompletionResultType]::ParameterName, 'Include hidden files and directories')
            [CompletionResult]::new('--no-ignore', '--no-ignore', [CompletionResultType]::ParameterName, 'Do not honour `.gitignore`, `.ignore` and similar files')
            [CompletionResult]::new('--fail-fast', '--fail-fast', [CompletionResultType]::ParameterName, 'Stop starting items after the first one that fails for good')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'List the items with estimated input tokens and send nothing')
            [CompletionResult]::new('--truncate', '--truncate', [CompletionResultType]::ParameterName, 'Send the start of files larger than --max-bytes instead of skipping them')
            [CompletionResult]::new('--lossy', '--lossy', [CompletionResultType]::ParameterName, 'Accept non-UTF-8 files, replacing invalid bytes with U+FFFD')
            [CompletionResult]::new('--ordered', '--ordered', [CompletionResultType]::ParameterName, 'Write results in input order (default: as they finish)')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Skip items already done in --output / --out-dir; retry the failed ones')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace the results of an earlier run in --output / --out-dir (refused otherwise)')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run the job on DashScope''s Batch API (half price, finishes within --window)')
            [CompletionResult]::new('--detach', '--detach', [CompletionResultType]::ParameterName, 'Submit the remote job, print its id as JSON and exit')
            [CompletionResult]::new('--no-cache-prompt', '--no-cache-prompt', [CompletionResultType]::ParameterName, 'Send no prompt-cache markers, even if the profile turns them on')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Allow sending the API key over plain http:// to a host that is not loopback')
            [CompletionResult]::new('--no-ledger', '--no-ledger', [CompletionResultType]::ParameterName, 'Do not record this call in the local usage ledger')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the status of a remote job (the newest one by default)')
            [CompletionResult]::new('fetch', 'fetch', [CompletionResultType]::ParameterValue, 'Wait for a remote job and write its results like a finished run')
            [CompletionResult]::new('cancel', 'cancel', [CompletionResultType]::ParameterValue, 'Cancel a remote job''s batches (finished lines stay fetchable)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List remote jobs submitted from this machine')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'qwen;batch;status' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Wire protocol: compat (OpenAI-compatible) or native (DashScope''s own API); with --base-url, give that protocol''s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]')
            [CompletionResult]::new('--first-token-timeout', '--first-token-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]')
            [CompletionResult]::new('--max-input', '--max-input', [CompletionResultType]::ParameterName, 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Allow sending the API key over plain http:// to a host that is not loopback')
            [CompletionResult]::new('--no-ledger', '--no-ledger', [CompletionResultType]::ParameterName, 'Do not record this call in the local usage ledger')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'qwen;batch;fetch' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the JSONL results to this file (default: the submitting run''s)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the JSONL results to this file (default: the submitting run''s)')
            [CompletionResult]::new('--out-dir', '--out-dir', [CompletionResultType]::ParameterName, 'Write each reply to its own file under DIR (default: the submitting run''s)')
            [CompletionResult]::new('--poll-interval', '--poll-interval', [CompletionResultType]::ParameterName, 'First wait between status polls')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Wire protocol: compat (OpenAI-compatible) or native (DashScope''s own API); with --base-url, give that protocol''s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]')
            [CompletionResult]::new('--first-token-timeout', '--first-token-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]')
            [CompletionResult]::new('--max-input', '--max-input', [CompletionResultType]::ParameterName, 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Allow sending the API key over plain http:// to a host that is not loopback')
            [CompletionResult]::new('--no-ledger', '--no-ledger', [CompletionResultType]::ParameterName, 'Do not record this call in the local usage ledger')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'qwen;batch;cancel' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Wire protocol: compat (OpenAI-compatible) or native (DashScope''s own API); with --base-url, give that protocol''s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]')
            [CompletionResult]::new('--first-token-timeout', '--first-token-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]')
            [CompletionResult]::new('--max-input', '--max-input', [CompletionResultType]::ParameterName, 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Allow sending the API key over plain http:// to a host that is not loopback')
            [CompletionResult]::new('--no-ledger', '--no-ledger', [CompletionResultType]::ParameterName, 'Do not record this call in the local usage ledger')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'qwen;batch;list' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Wire protocol: compat (OpenAI-compatible) or native (DashScope''s own API); with --base-url, give that protocol''s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]')
            [CompletionResult]::new('--first-token-timeout', '--first-token-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]')
            [CompletionResult]::new('--max-input', '--max-input', [CompletionResultType]::ParameterName, 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Allow sending the API key over plain http:// to a host that is not loopback')
            [CompletionResult]::new('--no-ledger', '--no-ledger', [CompletionResultType]::ParameterName, 'Do not record this call in the local usage ledger')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'qwen;batch;help' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the status of a remote job (the newest one by default)')
            [CompletionResult]::new('fetch', 'fetch', [CompletionResultType]::ParameterValue, 'Wait for a remote job and write its results like a finished run')
            [CompletionResult]::new('cancel', 'cancel', [CompletionResultType]::ParameterValue, 'Cancel a remote job''s batches (finished lines stay fetchable)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List remote jobs submitted from this machine')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'qwen;batch;help;status' {
            break
        }
        'qwen;batch;help;fetch' {
            break
        }
        'qwen;batch;help;cancel' {
            break
        }
        'qwen;batch;help;list' {
            break
        }
        'qwen;batch;help;help' {
            break
        }
        'qwen;usage' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Start of the window: `7d` or `24h` ago, a UTC date `2026-11-01`, `today`, `yesterday`')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'End of the window (exclusive), in the same forms as --since')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Only calls to this model (repeatable, or comma-separated)')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Only calls to this model (repeatable, or comma-separated)')
            [CompletionResult]::new('--command', '--command', [CompletionResultType]::ParameterName, 'Only calls made by this command, e.g. `chat` or `batch` (repeatable, or comma-separated)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Only calls made under this config profile (repeatable, or comma-separated)')
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Split the totals by these keys (repeatable, or comma-separated, e.g. `day,model`)')
            [CompletionResult]::new('--budget', '--budget', [CompletionResultType]::ParameterName, 'Exit with status 7 when the estimated spend in the window exceeds this, e.g. `5` or `30cny` (without a currency, every currency is held to it)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Wire protocol: compat (OpenAI-compatible) or native (DashScope''s own API); with --base-url, give that protocol''s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]')
            [CompletionResult]::new('--first-token-timeout', '--first-token-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]')
            [CompletionResult]::new('--max-input', '--max-input', [CompletionResultType]::ParameterName, 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Show every column in the table (the default fits 80 columns; json, jsonl, csv and prometheus always carry every field)')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Allow sending the API key over plain http:// to a host that is not loopback')
            [CompletionResult]::new('--no-ledger', '--no-ledger', [CompletionResultType]::ParameterName, 'Do not record this call in the local usage ledger')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'List recorded calls, oldest first (the filters of `qwen usage` apply)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'qwen;usage;log' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Show the last N calls')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Show the last N calls')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Start of the window: `7d` or `24h` ago, a UTC date `2026-11-01`, `today`, `yesterday`')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'End of the window (exclusive), in the same forms as --since')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Only calls to this model (repeatable, or comma-separated)')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Only calls to this model (repeatable, or comma-separated)')
            [CompletionResult]::new('--command', '--command', [CompletionResultType]::ParameterName, 'Only calls made by this command, e.g. `chat` or `batch` (repeatable, or comma-separated)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Only calls made under this config profile (repeatable, or comma-separated)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Wire protocol: compat (OpenAI-compatible) or native (DashScope''s own API); with --base-url, give that protocol''s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]')
            [CompletionResult]::new('--first-token-timeout', '--first-token-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]')
            [CompletionResult]::new('--max-input', '--max-input', [CompletionResultType]::ParameterName, 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Allow sending the API key over plain http:// to a host that is not loopback')
            [CompletionResult]::new('--no-ledger', '--no-ledger', [CompletionResultType]::ParameterName, 'Do not record this call in the local usage ledger')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'qwen;usage;help' {
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'List recorded calls, oldest first (the filters of `qwen usage` apply)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'qwen;usage;help;log' {
            break
        }
        'qwen;usage;help;help' {
            break
        }
        'qwen;cache' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Wire protocol: compat (OpenAI-compatible) or native (DashScope''s own API); with --base-url, give that protocol''s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]')
            [CompletionResult]::new('--first-token-timeout', '--first-token-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]')
            [CompletionResult]::new('--max-input', '--max-input', [CompletionResultType]::ParameterName, 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Allow sending the API key over plain http:// to a host that is not loopback')
            [CompletionResult]::new('--no-ledger', '--no-ledger', [CompletionResultType]::ParameterName, 'Do not record this call in the local usage ledger')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Show how many replies are stored and what cache hits saved (the default)')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Delete stored replies')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'qwen;cache;stats' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Wire protocol: compat (OpenAI-compatible) or native (DashScope''s own API); with --base-url, give that protocol''s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]')
            [CompletionResult]::new('--first-token-timeout', '--first-token-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]')
            [CompletionResult]::new('--max-input', '--max-input', [CompletionResultType]::ParameterName, 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Allow sending the API key over plain http:// to a host that is not loopback')
            [CompletionResult]::new('--no-ledger', '--no-ledger', [CompletionResultType]::ParameterName, 'Do not record this call in the local usage ledger')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'qwen;cache;clear' {
            [CompletionResult]::new('--older-than', '--older-than', [CompletionResultType]::ParameterName, 'Delete only replies stored longer ago than this, e.g. `7d`')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Wire protocol: compat (OpenAI-compatible) or native (DashScope''s own API); with --base-url, give that protocol''s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]')
            [CompletionResult]::new('--first-token-timeout', '--first-token-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]')
            [CompletionResult]::new('--max-input', '--max-input', [CompletionResultType]::ParameterName, 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Allow sending the API key over plain http:// to a host that is not loopback')
            [CompletionResult]::new('--no-ledger', '--no-ledger', [CompletionResultType]::ParameterName, 'Do not record this call in the local usage ledger')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'qwen;cache;help' {
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Show how many replies are stored and what cache hits saved (the default)')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Delete stored replies')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'qwen;cache;help;stats' {
            break
        }
        'qwen;cache;help;clear' {
            break
        }
        'qwen;cache;help;help' {
            break
        }
        'qwen;files' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'format')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Wire protocol: compat (OpenAI-compatible) or native (DashScope''s own API); with --base-url, give that protocol''s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]')
            [CompletionResult]::new('--first-token-timeout', '--first-token-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]')
            [CompletionResult]::new('--max-input', '--max-input', [CompletionResultType]::ParameterName, 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Allow sending the API key over plain http:// to a host that is not loopback')
            [CompletionResult]::new('--no-ledger', '--no-ledger', [CompletionResultType]::ParameterName, 'Do not record this call in the local usage ledger')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List uploaded documents, marked where each exists (local, server or both)')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete documents on the server and locally, by file id or by the path uploaded')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Forget local rows whose server file is gone; `--older-than` deletes older uploads')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'qwen;files;list' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Wire protocol: compat (OpenAI-compatible) or native (DashScope''s own API); with --base-url, give that protocol''s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]')
            [CompletionResult]::new('--first-token-timeout', '--first-token-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]')
            [CompletionResult]::new('--max-input', '--max-input', [CompletionResultType]::ParameterName, 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Allow sending the API key over plain http:// to a host that is not loopback')
            [CompletionResult]::new('--no-ledger', '--no-ledger', [CompletionResultType]::ParameterName, 'Do not record this call in the local usage ledger')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'qwen;files;rm' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'format')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Wire protocol: compat (OpenAI-compatible) or native (DashScope''s own API); with --base-url, give that protocol''s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]')
            [CompletionResult]::new('--first-token-timeout', '--first-token-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]')
            [CompletionResult]::new('--max-input', '--max-input', [CompletionResultType]::ParameterName, 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Allow sending the API key over plain http:// to a host that is not loopback')
            [CompletionResult]::new('--no-ledger', '--no-ledger', [CompletionResultType]::ParameterName, 'Do not record this call in the local usage ledger')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'qwen;files;prune' {
            [CompletionResult]::new('--older-than', '--older-than', [CompletionResultType]::ParameterName, 'Also delete this machine''s uploads older than this, e.g. `30d`, on the server')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'format')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Wire protocol: compat (OpenAI-compatible) or native (DashScope''s own API); with --base-url, give that protocol''s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]')
            [CompletionResult]::new('--first-token-timeout', '--first-token-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]')
            [CompletionResult]::new('--max-input', '--max-input', [CompletionResultType]::ParameterName, 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Allow sending the API key over plain http:// to a host that is not loopback')
            [CompletionResult]::new('--no-ledger', '--no-ledger', [CompletionResultType]::ParameterName, 'Do not record this call in the local usage ledger')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'qwen;files;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List uploaded documents, marked where each exists (local, server or both)')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete documents on the server and locally, by file id or by the path uploaded')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Forget local rows whose server file is gone; `--older-than` deletes older uploads')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'qwen;files;help;list' {
            break
        }
        'qwen;files;help;rm' {
            break
        }
        'qwen;files;help;prune' {
            break
        }
        'qwen;files;help;help' {
            break
        }
        'qwen;tools' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Wire protocol: compat (OpenAI-compatible) or native (DashScope''s own API); with --base-url, give that protocol''s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]')
            [CompletionResult]::new('--first-token-timeout', '--first-token-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]')
            [CompletionResult]::new('--max-input', '--max-input', [CompletionResultType]::ParameterName, 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Allow sending the API key over plain http:// to a host that is not loopback')
            [CompletionResult]::new('--no-ledger', '--no-ledger', [CompletionResultType]::ParameterName, 'Do not record this call in the local usage ledger')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Send a prompt with the tools and run the calls the model asks for until it answers')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List every tool and where it was defined')
            [CompletionResult]::new('call', 'call', [CompletionResultType]::ParameterValue, 'Run one tool directly, without the model, to test its definition')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'qwen;tools;run' {
            [CompletionResult]::new('--tools', '--tools', [CompletionResultType]::ParameterName, 'Read tool definitions from this TOML file (repeatable)')
            [CompletionResult]::new('--mcp', '--mcp', [CompletionResultType]::ParameterName, 'Start this MCP server over stdio, e.g. `--mcp ''npx -y @scope/server''`; prefix `NAME=` to name its tools `NAME.tool` (repeatable)')
            [CompletionResult]::new('--allow', '--allow', [CompletionResultType]::ParameterName, 'Run this tool without asking (repeatable; `SERVER.*` allows an MCP server''s tools)')
            [CompletionResult]::new('--max-steps', '--max-steps', [CompletionResultType]::ParameterName, 'Stop (exit 8) when the model still calls tools after this many requests')
            [CompletionResult]::new('--transcript', '--transcript', [CompletionResultType]::ParameterName, 'Also write the JSONL audit trail (every event of `--format jsonl`) to this file')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'System prompt')
            [CompletionResult]::new('--system', '--system', [CompletionResultType]::ParameterName, 'System prompt')
            [CompletionResult]::new('--system-file', '--system-file', [CompletionResultType]::ParameterName, 'Read the system prompt from a file')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Attach a file to the prompt, with its path as a header (repeatable)')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Attach a file to the prompt, with its path as a header (repeatable)')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Attach an image, video or audio file, an http(s):// or oss:// URL, or `-` for standard input (repeatable; sent after the prompt''s text, in order)')
            [CompletionResult]::new('--attach', '--attach', [CompletionResultType]::ParameterName, 'Attach an image, video or audio file, an http(s):// or oss:// URL, or `-` for standard input (repeatable; sent after the prompt''s text, in order)')
            [CompletionResult]::new('--attach-frames', '--attach-frames', [CompletionResultType]::ParameterName, 'Attach a folder of images as one video, a frame per image sorted by name (repeatable)')
            [CompletionResult]::new('--doc', '--doc', [CompletionResultType]::ParameterName, 'Upload a document for Qwen-Long to read (pdf, docx, txt, md, …; repeatable; uploaded once per content, referenced as `fileid://`; default model `doc_model`)')
            [CompletionResult]::new('--temperature', '--temperature', [CompletionResultType]::ParameterName, 'Sampling temperature, in [0, 2)')
            [CompletionResult]::new('--top-p', '--top-p', [CompletionResultType]::ParameterName, 'Nucleus sampling probability, in (0, 1]')
            [CompletionResult]::new('--top-k', '--top-k', [CompletionResultType]::ParameterName, 'Sample from the K most likely tokens')
            [CompletionResult]::new('--max-tokens', '--max-tokens', [CompletionResultType]::ParameterName, 'Maximum tokens in the reply')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed for reproducible sampling')
            [CompletionResult]::new('--stop', '--stop', [CompletionResultType]::ParameterName, 'Stop when the model produces this text (repeatable)')
            [CompletionResult]::new('--presence-penalty', '--presence-penalty', [CompletionResultType]::ParameterName, 'Presence penalty, in [-2, 2]')
            [CompletionResult]::new('--repetition-penalty', '--repetition-penalty', [CompletionResultType]::ParameterName, 'Repetition penalty (1.0 = none)')
            [CompletionResult]::new('--thinking-budget', '--thinking-budget', [CompletionResultType]::ParameterName, 'Maximum reasoning tokens')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'Ask for a reply matching this JSON Schema file; the reply is validated locally')
            [CompletionResult]::new('--extra', '--extra', [CompletionResultType]::ParameterName, 'Add any other field to the request body, e.g. `--extra ''n=2''` (repeatable)')
            [CompletionResult]::new('--cache-prompt', '--cache-prompt', [CompletionResultType]::ParameterName, 'Mark the stable prefix (system prompt, files, earlier turns) for the service''s explicit prompt cache; `=auto` only where it pays [config: cache_prompt]')
            [CompletionResult]::new('--render', '--render', [CompletionResultType]::ParameterName, 'Draw the reply as Markdown: `auto` (when stdout is a terminal), `always` (into a pipe too) or `never` [default: from config, else auto]')
            [CompletionResult]::new('--fallback-model', '--fallback-model', [CompletionResultType]::ParameterName, 'Try this model when the main one is unavailable or keeps failing (repeatable)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Wire protocol: compat (OpenAI-compatible) or native (DashScope''s own API); with --base-url, give that protocol''s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]')
            [CompletionResult]::new('--first-token-timeout', '--first-token-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]')
            [CompletionResult]::new('--max-input', '--max-input', [CompletionResultType]::ParameterName, 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]')
            [CompletionResult]::new('--allow-all', '--allow-all', [CompletionResultType]::ParameterName, 'Run every tool without asking')
            [CompletionResult]::new('--no-stdin', '--no-stdin', [CompletionResultType]::ParameterName, 'Never read standard input, even when it is a pipe')
            [CompletionResult]::new('--lossy', '--lossy', [CompletionResultType]::ParameterName, 'Accept non-UTF-8 input, replacing invalid bytes with U+FFFD')
            [CompletionResult]::new('--high-resolution', '--high-resolution', [CompletionResultType]::ParameterName, 'Ask vision models to read images at high resolution (`vl_high_resolution_images`)')
            [CompletionResult]::new('--think', '--think', [CompletionResultType]::ParameterName, 'Turn thinking (reasoning) on for hybrid models')
            [CompletionResult]::new('--no-think', '--no-think', [CompletionResultType]::ParameterName, 'Turn thinking off for hybrid models')
            [CompletionResult]::new('--search', '--search', [CompletionResultType]::ParameterName, 'Let the model search the web (`enable_search`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Ask for a JSON object reply; the reply is checked to be JSON')
            [CompletionResult]::new('--no-stream', '--no-stream', [CompletionResultType]::ParameterName, 'Wait for the whole reply instead of streaming it')
            [CompletionResult]::new('--show-thinking', '--show-thinking', [CompletionResultType]::ParameterName, 'Show reasoning on stderr even when stderr is not a terminal')
            [CompletionResult]::new('--hide-thinking', '--hide-thinking', [CompletionResultType]::ParameterName, 'Never show reasoning')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Print token usage to stderr when the reply is complete')
            [CompletionResult]::new('--usage', '--usage', [CompletionResultType]::ParameterName, 'Print token usage to stderr when the reply is complete')
            [CompletionResult]::new('--no-cache-prompt', '--no-cache-prompt', [CompletionResultType]::ParameterName, 'Send no prompt-cache markers, even if the profile turns them on')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Allow sending the API key over plain http:// to a host that is not loopback')
            [CompletionResult]::new('--no-ledger', '--no-ledger', [CompletionResultType]::ParameterName, 'Do not record this call in the local usage ledger')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'qwen;tools;list' {
            [CompletionResult]::new('--tools', '--tools', [CompletionResultType]::ParameterName, 'Read tool definitions from this TOML file (repeatable)')
            [CompletionResult]::new('--mcp', '--mcp', [CompletionResultType]::ParameterName, 'Start this MCP server over stdio, e.g. `--mcp ''npx -y @scope/server''`; prefix `NAME=` to name its tools `NAME.tool` (repeatable)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Wire protocol: compat (OpenAI-compatible) or native (DashScope''s own API); with --base-url, give that protocol''s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]')
            [CompletionResult]::new('--first-token-timeout', '--first-token-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]')
            [CompletionResult]::new('--max-input', '--max-input', [CompletionResultType]::ParameterName, 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Allow sending the API key over plain http:// to a host that is not loopback')
            [CompletionResult]::new('--no-ledger', '--no-ledger', [CompletionResultType]::ParameterName, 'Do not record this call in the local usage ledger')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'qwen;tools;call' {
            [CompletionResult]::new('--tools', '--tools', [CompletionResultType]::ParameterName, 'Read tool definitions from this TOML file (repeatable)')
            [CompletionResult]::new('--mcp', '--mcp', [CompletionResultType]::ParameterName, 'Start this MCP server over stdio, e.g. `--mcp ''npx -y @scope/server''`; prefix `NAME=` to name its tools `NAME.tool` (repeatable)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Wire protocol: compat (OpenAI-compatible) or native (DashScope''s own API); with --base-url, give that protocol''s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]')
            [CompletionResult]::new('--first-token-timeout', '--first-token-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]')
            [CompletionResult]::new('--max-input', '--max-input', [CompletionResultType]::ParameterName, 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Allow sending the API key over plain http:// to a host that is not loopback')
            [CompletionResult]::new('--no-ledger', '--no-ledger', [CompletionResultType]::ParameterName, 'Do not record this call in the local usage ledger')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'qwen;tools;help' {
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Send a prompt with the tools and run the calls the model asks for until it answers')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List every tool and where it was defined')
            [CompletionResult]::new('call', 'call', [CompletionResultType]::ParameterValue, 'Run one tool directly, without the model, to test its definition')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'qwen;tools;help;run' {
            break
        }
        'qwen;tools;help;list' {
            break
        }
        'qwen;tools;help;call' {
            break
        }
        'qwen;tools;help;help' {
            break
        }
        'qwen;complete' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Append a file''s contents to the prompt verbatim (repeatable)')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Append a file''s contents to the prompt verbatim (repeatable)')
            [CompletionResult]::new('--suffix', '--suffix', [CompletionResultType]::ParameterName, 'Fill in the middle: the text that comes after the completion')
            [CompletionResult]::new('--suffix-file', '--suffix-file', [CompletionResultType]::ParameterName, 'Read the fill-in-the-middle suffix from a file')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Completion model [default: qwen-coder-turbo]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Completion model [default: qwen-coder-turbo]')
            [CompletionResult]::new('--temperature', '--temperature', [CompletionResultType]::ParameterName, 'Sampling temperature, in [0, 2)')
            [CompletionResult]::new('--top-p', '--top-p', [CompletionResultType]::ParameterName, 'Nucleus sampling probability, in (0, 1]')
            [CompletionResult]::new('--top-k', '--top-k', [CompletionResultType]::ParameterName, 'Sample from the K most likely tokens')
            [CompletionResult]::new('--max-tokens', '--max-tokens', [CompletionResultType]::ParameterName, 'Maximum tokens in the reply')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed for reproducible sampling')
            [CompletionResult]::new('--stop', '--stop', [CompletionResultType]::ParameterName, 'Stop when the model produces this text (repeatable)')
            [CompletionResult]::new('--presence-penalty', '--presence-penalty', [CompletionResultType]::ParameterName, 'Presence penalty, in [-2, 2]')
            [CompletionResult]::new('--repetition-penalty', '--repetition-penalty', [CompletionResultType]::ParameterName, 'Repetition penalty (1.0 = none)')
            [CompletionResult]::new('--thinking-budget', '--thinking-budget', [CompletionResultType]::ParameterName, 'Maximum reasoning tokens')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'Ask for a reply matching this JSON Schema file; the reply is validated locally')
            [CompletionResult]::new('--extra', '--extra', [CompletionResultType]::ParameterName, 'Add any other field to the request body, e.g. `--extra ''n=2''` (repeatable)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Wire protocol: compat (OpenAI-compatible) or native (DashScope''s own API); with --base-url, give that protocol''s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]')
            [CompletionResult]::new('--first-token-timeout', '--first-token-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]')
            [CompletionResult]::new('--max-input', '--max-input', [CompletionResultType]::ParameterName, 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]')
            [CompletionResult]::new('--no-stdin', '--no-stdin', [CompletionResultType]::ParameterName, 'Never read standard input, even when it is a pipe')
            [CompletionResult]::new('--lossy', '--lossy', [CompletionResultType]::ParameterName, 'Accept non-UTF-8 input, replacing invalid bytes with U+FFFD')
            [CompletionResult]::new('--partial', '--partial', [CompletionResultType]::ParameterName, 'Continue the prompt in partial mode over chat completions (any model, any region; the catalogue''s chat models use it without this flag); `--prefix` is the same')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Continue the prompt in partial mode over chat completions (any model, any region; the catalogue''s chat models use it without this flag); `--prefix` is the same')
            [CompletionResult]::new('--think', '--think', [CompletionResultType]::ParameterName, 'Turn thinking (reasoning) on for hybrid models')
            [CompletionResult]::new('--no-think', '--no-think', [CompletionResultType]::ParameterName, 'Turn thinking off for hybrid models')
            [CompletionResult]::new('--search', '--search', [CompletionResultType]::ParameterName, 'Let the model search the web (`enable_search`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Ask for a JSON object reply; the reply is checked to be JSON')
            [CompletionResult]::new('--no-stream', '--no-stream', [CompletionResultType]::ParameterName, 'Wait for the whole reply instead of streaming it')
            [CompletionResult]::new('--show-thinking', '--show-thinking', [CompletionResultType]::ParameterName, 'Show reasoning on stderr even when stderr is not a terminal')
            [CompletionResult]::new('--hide-thinking', '--hide-thinking', [CompletionResultType]::ParameterName, 'Never show reasoning')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Print token usage to stderr when the reply is complete')
            [CompletionResult]::new('--usage', '--usage', [CompletionResultType]::ParameterName, 'Print token usage to stderr when the reply is complete')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the request that would be sent (key redacted) and send nothing')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Allow sending the API key over plain http:// to a host that is not loopback')
            [CompletionResult]::new('--no-ledger', '--no-ledger', [CompletionResultType]::ParameterName, 'Do not record this call in the local usage ledger')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'qwen;models' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Wire protocol: compat (OpenAI-compatible) or native (DashScope''s own API); with --base-url, give that protocol''s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]')
            [CompletionResult]::new('--first-token-timeout', '--first-token-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]')
            [CompletionResult]::new('--max-input', '--max-input', [CompletionResultType]::ParameterName, 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Show the built-in catalogue only; do not ask the endpoint')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Allow sending the API key over plain http:// to a host that is not loopback')
            [CompletionResult]::new('--no-ledger', '--no-ledger', [CompletionResultType]::ParameterName, 'Do not record this call in the local usage ledger')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show everything known about one model')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'qwen;models;show' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Wire protocol: compat (OpenAI-compatible) or native (DashScope''s own API); with --base-url, give that protocol''s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]')
            [CompletionResult]::new('--first-token-timeout', '--first-token-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]')
            [CompletionResult]::new('--max-input', '--max-input', [CompletionResultType]::ParameterName, 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Show the built-in catalogue only; do not ask the endpoint')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Allow sending the API key over plain http:// to a host that is not loopback')
            [CompletionResult]::new('--no-ledger', '--no-ledger', [CompletionResultType]::ParameterName, 'Do not record this call in the local usage ledger')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'qwen;models;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show everything known about one model')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'qwen;models;help;show' {
            break
        }
        'qwen;models;help;help' {
            break
        }
        'qwen;embed' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Embed a file''s whole contents as one text (repeatable)')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Embed a file''s whole contents as one text (repeatable)')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Embedding model [default: text-embedding-v4]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Embedding model [default: text-embedding-v4]')
            [CompletionResult]::new('--dimensions', '--dimensions', [CompletionResultType]::ParameterName, 'Vector size, where the model offers a choice (v3: 64 to 1024; v4: up to 2048)')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Requests in flight at most')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Requests in flight at most')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Wire protocol: compat (OpenAI-compatible) or native (DashScope''s own API); with --base-url, give that protocol''s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]')
            [CompletionResult]::new('--first-token-timeout', '--first-token-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]')
            [CompletionResult]::new('--max-input', '--max-input', [CompletionResultType]::ParameterName, 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]')
            [CompletionResult]::new('--no-stdin', '--no-stdin', [CompletionResultType]::ParameterName, 'Never read standard input (otherwise, when it is not a terminal, each line is a text)')
            [CompletionResult]::new('--no-text', '--no-text', [CompletionResultType]::ParameterName, 'Leave each text out of its output line')
            [CompletionResult]::new('--lossy', '--lossy', [CompletionResultType]::ParameterName, 'Accept non-UTF-8 input, replacing invalid bytes with U+FFFD')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Allow sending the API key over plain http:// to a host that is not loopback')
            [CompletionResult]::new('--no-ledger', '--no-ledger', [CompletionResultType]::ParameterName, 'Do not record this call in the local usage ledger')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'qwen;rerank' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'A file''s whole contents is one document (repeatable)')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'A file''s whole contents is one document (repeatable)')
            [CompletionResult]::new('--input', '--input', [CompletionResultType]::ParameterName, 'Documents as JSONL lines `{"id": …, "text": "…"}` (`-` for standard input)')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Rerank model [default: qwen3-rerank]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Rerank model [default: qwen3-rerank]')
            [CompletionResult]::new('--top-n', '--top-n', [CompletionResultType]::ParameterName, 'Keep only the N most relevant documents')
            [CompletionResult]::new('--instruct', '--instruct', [CompletionResultType]::ParameterName, 'The task, e.g. "Retrieve semantically similar text." (qwen3-rerank)')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Requests in flight at most')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Requests in flight at most')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Wire protocol: compat (OpenAI-compatible) or native (DashScope''s own API); with --base-url, give that protocol''s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]')
            [CompletionResult]::new('--first-token-timeout', '--first-token-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]')
            [CompletionResult]::new('--max-input', '--max-input', [CompletionResultType]::ParameterName, 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]')
            [CompletionResult]::new('--no-stdin', '--no-stdin', [CompletionResultType]::ParameterName, 'Never read standard input (otherwise, when it is not a terminal, each line is a document)')
            [CompletionResult]::new('--no-text', '--no-text', [CompletionResultType]::ParameterName, 'Leave each document''s text out of its output line')
            [CompletionResult]::new('--lossy', '--lossy', [CompletionResultType]::ParameterName, 'Accept non-UTF-8 input, replacing invalid bytes with U+FFFD')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the requests that would be sent (key redacted) and send nothing')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Allow sending the API key over plain http:// to a host that is not loopback')
            [CompletionResult]::new('--no-ledger', '--no-ledger', [CompletionResultType]::ParameterName, 'Do not record this call in the local usage ledger')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'qwen;doctor' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Wire protocol: compat (OpenAI-compatible) or native (DashScope''s own API); with --base-url, give that protocol''s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]')
            [CompletionResult]::new('--first-token-timeout', '--first-token-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]')
            [CompletionResult]::new('--max-input', '--max-input', [CompletionResultType]::ParameterName, 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]')
            [CompletionResult]::new('--no-call', '--no-call', [CompletionResultType]::ParameterName, 'Skip the 1-token test call (it is billed like any other call)')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Allow sending the API key over plain http:// to a host that is not loopback')
            [CompletionResult]::new('--no-ledger', '--no-ledger', [CompletionResultType]::ParameterName, 'Do not record this call in the local usage ledger')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'qwen;completions' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'format')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Config profile to use (a `[profiles.NAME]` table in config.toml) [env: QWEN_PROFILE]')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong) [env: DASHSCOPE_REGION] [default: from config, else intl]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Base URL of the API, e.g. `http://127.0.0.1:8080/v1` (with --api native, the native root, e.g. `https://dashscope-intl.aliyuncs.com/api/v1`) [env: DASHSCOPE_BASE_URL]')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Wire protocol: compat (OpenAI-compatible) or native (DashScope''s own API); with --base-url, give that protocol''s root, e.g. `https://HOST/api/v1` [env: QWEN_API] [default: from config, else compat]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Model to use [env: QWEN_MODEL] [default: from config, else qwen-plus]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for transient failures (connection errors, timeouts, 408/429/5xx) [default: from config, else 3]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect timeout, e.g. `10s` or `500ms` [default: from config, else 10s]')
            [CompletionResult]::new('--first-token-timeout', '--first-token-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the first event of a reply (the whole reply with --no-stream) [default: from config, else 1m; 2m for thinking models and --no-stream]')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence between two chunks of a streamed reply [default: from config, else 1m]')
            [CompletionResult]::new('--max-input', '--max-input', [CompletionResultType]::ParameterName, 'Largest input read (standard input, each file), e.g. `1MiB` [default: from config, else 16MiB]')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Allow sending the API key over plain http:// to a host that is not loopback')
            [CompletionResult]::new('--no-ledger', '--no-ledger', [CompletionResultType]::ParameterName, 'Do not record this call in the local usage ledger')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response status to stderr (the API key is redacted)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes, retries or warnings on stderr (errors still print)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'qwen;help' {
            [CompletionResult]::new('chat', 'chat', [CompletionResultType]::ParameterValue, 'Send a prompt to a chat model and stream the reply')
            [CompletionResult]::new('sessions', 'sessions', [CompletionResultType]::ParameterValue, 'List, show, export, rename and delete saved conversations')
            [CompletionResult]::new('batch', 'batch', [CompletionResultType]::ParameterValue, 'Send many prompts (files, or JSONL requests) with bounded concurrency')
            [CompletionResult]::new('usage', 'usage', [CompletionResultType]::ParameterValue, 'Report tokens, estimated spend, errors and latency from the local usage ledger')
            [CompletionResult]::new('cache', 'cache', [CompletionResultType]::ParameterValue, 'Show or clear the response cache that `--cache` fills')
            [CompletionResult]::new('files', 'files', [CompletionResultType]::ParameterValue, 'List and delete the documents `--doc` uploaded for Qwen-Long')
            [CompletionResult]::new('tools', 'tools', [CompletionResultType]::ParameterValue, 'Let the model call your own tools (programs, MCP servers) until it answers')
            [CompletionResult]::new('complete', 'complete', [CompletionResultType]::ParameterValue, 'Continue a raw prompt with a base or coder model, with no chat template')
            [CompletionResult]::new('models', 'models', [CompletionResultType]::ParameterValue, 'List the endpoint''s models with the built-in catalogue''s limits and prices')
            [CompletionResult]::new('embed', 'embed', [CompletionResultType]::ParameterValue, 'Embed texts (arguments, standard input lines or files) and print JSONL vectors')
            [CompletionResult]::new('rerank', 'rerank', [CompletionResultType]::ParameterValue, 'Rank documents by relevance to a query and print them as JSONL, best first')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the config, the API key, the endpoint and the local store')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script to stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'qwen;help;chat' {
            break
        }
        'qwen;help;sessions' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List saved conversations, most recent first')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a conversation''s transcript (rendered on a terminal)')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print a conversation as Markdown (the default) or JSON messages')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Give a conversation a new name')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete conversations by name or id, or all those unused for a while')
            break
        }
        'qwen;help;sessions;list' {
            break
        }
        'qwen;help;sessions;show' {
            break
        }
        'qwen;help;sessions;export' {
            break
        }
        'qwen;help;sessions;rename' {
            break
        }
        'qwen;help;sessions;rm' {
            break
        }
        'qwen;help;batch' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the status of a remote job (the newest one by default)')
            [CompletionResult]::new('fetch', 'fetch', [CompletionResultType]::ParameterValue, 'Wait for a remote job and write its results like a finished run')
            [CompletionResult]::new('cancel', 'cancel', [CompletionResultType]::ParameterValue, 'Cancel a remote job''s batches (finished lines stay fetchable)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List remote jobs submitted from this machine')
            break
        }
        'qwen;help;batch;status' {
            break
        }
        'qwen;help;batch;fetch' {
            break
        }
        'qwen;help;batch;cancel' {
            break
        }
        'qwen;help;batch;list' {
            break
        }
        'qwen;help;usage' {
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'List recorded calls, oldest first (the filters of `qwen usage` apply)')
            break
        }
        'qwen;help;usage;log' {
            break
        }
        'qwen;help;cache' {
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Show how many replies are stored and what cache hits saved (the default)')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Delete stored replies')
            break
        }
        'qwen;help;cache;stats' {
            break
        }
        'qwen;help;cache;clear' {
            break
        }
        'qwen;help;files' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List uploaded documents, marked where each exists (local, server or both)')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete documents on the server and locally, by file id or by the path uploaded')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Forget local rows whose server file is gone; `--older-than` deletes older uploads')
            break
        }
        'qwen;help;files;list' {
            break
        }
        'qwen;help;files;rm' {
            break
        }
        'qwen;help;files;prune' {
            break
        }
        'qwen;help;tools' {
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Send a prompt with the tools and run the calls the model asks for until it answers')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List every tool and where it was defined')
            [CompletionResult]::new('call', 'call', [CompletionResultType]::ParameterValue, 'Run one tool directly, without the model, to test its definition')
            break
        }
        'qwen;help;tools;run' {
            break
        }
        'qwen;help;tools;list' {
            break
        }
        'qwen;help;tools;call' {
            break
        }
        'qwen;help;complete' {
            break
        }
        'qwen;help;models' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show everything known about one model')
            break
        }
        'qwen;help;models;show' {
            break
        }
        'qwen;help;embed' {
            break
        }
        'qwen;help;rerank' {
            break
        }
        'qwen;help;doctor' {
            break
        }
        'qwen;help;completions' {
            break
        }
        'qwen;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
