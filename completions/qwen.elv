
use builtin;
use str;

set edit:completion:arg-completer[qwen] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'qwen'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'qwen'= {
            cand --profile 'Config profile to use (a `[profiles.NAME]` table in config.toml)'
            cand --region 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong)'
            cand --base-url 'Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:8080/v1`'
            cand -m 'Model to use, e.g. `qwen-plus`'
            cand --model 'Model to use, e.g. `qwen-plus`'
            cand --format 'Output format: text, jsonl or json for replies; table, json, jsonl, csv or prometheus for `qwen usage`'
            cand --retries 'Retries for transient failures (connection errors, timeouts, 408/429/5xx)'
            cand --timeout 'Connect timeout, e.g. `10s` or `500ms`'
            cand --first-token-timeout 'Longest wait for the first event of a reply (the whole reply with --no-stream)'
            cand --idle-timeout 'Longest silence between two chunks of a streamed reply'
            cand --allow-insecure-http 'Allow sending the API key over plain http:// to a host that is not loopback'
            cand --no-ledger 'Do not record this call in the local usage ledger'
            cand -v 'Print each request and response status to stderr (the API key is redacted)'
            cand --verbose 'Print each request and response status to stderr (the API key is redacted)'
            cand -q 'Print no notes, retries or warnings on stderr (errors still print)'
            cand --quiet 'Print no notes, retries or warnings on stderr (errors still print)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand chat 'Send a prompt to a chat model and stream the reply'
            cand batch 'Send many prompts (files, or JSONL requests) with bounded concurrency'
            cand usage 'Report tokens, estimated spend, errors and latency from the local usage ledger'
            cand cache 'Show or clear the response cache that `--cache` fills'
            cand completions 'Print a shell completion script to stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'qwen;chat'= {
            cand -s 'System prompt'
            cand --system 'System prompt'
            cand --system-file 'Read the system prompt from a file'
            cand -f 'Attach a file to the prompt, with its path as a header (repeatable)'
            cand --file 'Attach a file to the prompt, with its path as a header (repeatable)'
            cand --temperature 'Sampling temperature, in [0, 2)'
            cand --top-p 'Nucleus sampling probability, in (0, 1]'
            cand --top-k 'Sample from the K most likely tokens'
            cand --max-tokens 'Maximum tokens in the reply'
            cand --seed 'Seed for reproducible sampling'
            cand --stop 'Stop when the model produces this text (repeatable)'
            cand --presence-penalty 'Presence penalty, in [-2, 2]'
            cand --repetition-penalty 'Repetition penalty (1.0 = none)'
            cand --thinking-budget 'Maximum reasoning tokens'
            cand --schema 'Ask for a reply matching this JSON Schema file; the reply is validated locally'
            cand --extra 'Add any other field to the request body, e.g. `--extra ''n=2''` (repeatable)'
            cand --session 'Continue (or start) the conversation with this name'
            cand --max-history 'Send at most N earlier messages of the conversation'
            cand --cache-ttl 'Reuse only cached replies younger than this, e.g. `1h` (implies --cache)'
            cand --fallback-model 'Try this model when the main one is unavailable or keeps failing (repeatable)'
            cand --profile 'Config profile to use (a `[profiles.NAME]` table in config.toml)'
            cand --region 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong)'
            cand --base-url 'Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:8080/v1`'
            cand -m 'Model to use, e.g. `qwen-plus`'
            cand --model 'Model to use, e.g. `qwen-plus`'
            cand --format 'Output format: text, jsonl or json for replies; table, json, jsonl, csv or prometheus for `qwen usage`'
            cand --retries 'Retries for transient failures (connection errors, timeouts, 408/429/5xx)'
            cand --timeout 'Connect timeout, e.g. `10s` or `500ms`'
            cand --first-token-timeout 'Longest wait for the first event of a reply (the whole reply with --no-stream)'
            cand --idle-timeout 'Longest silence between two chunks of a streamed reply'
            cand --no-stdin 'Never read standard input, even when it is a pipe'
            cand --lossy 'Accept non-UTF-8 input, replacing invalid bytes with U+FFFD'
            cand --think 'Turn thinking (reasoning) on for hybrid models'
            cand --no-think 'Turn thinking off for hybrid models'
            cand --search 'Let the model search the web (`enable_search`)'
            cand --json 'Ask for a JSON object reply; the reply is checked to be JSON'
            cand --no-stream 'Wait for the whole reply instead of streaming it'
            cand --show-thinking 'Show reasoning on stderr even when stderr is not a terminal'
            cand --hide-thinking 'Never show reasoning'
            cand -u 'Print token usage to stderr when the reply is complete'
            cand --usage 'Print token usage to stderr when the reply is complete'
            cand -c 'Continue the most recent conversation'
            cand --continue 'Continue the most recent conversation'
            cand --no-save 'Do not save this exchange (it cannot be continued)'
            cand --list-sessions 'List saved conversations and exit'
            cand --cache 'Reuse the reply to an identical earlier request from the local cache (and store this one)'
            cand --no-cache 'Do not use the response cache, even if the profile turns it on'
            cand --dry-run 'Print the request that would be sent (key redacted) and send nothing'
            cand --allow-insecure-http 'Allow sending the API key over plain http:// to a host that is not loopback'
            cand --no-ledger 'Do not record this call in the local usage ledger'
            cand -v 'Print each request and response status to stderr (the API key is redacted)'
            cand --verbose 'Print each request and response status to stderr (the API key is redacted)'
            cand -q 'Print no notes, retries or warnings on stderr (errors still print)'
            cand --quiet 'Print no notes, retries or warnings on stderr (errors still print)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'qwen;batch'= {
            cand --input 'Read requests from a JSONL file instead (`-` for standard input)'
            cand --prompt 'Prompt template for files, with `{path}`, `{name}` and `{content}` placeholders'
            cand --prompt-file 'Read the prompt template from a file'
            cand -s 'System prompt for every item'
            cand --system 'System prompt for every item'
            cand --system-file 'Read the system prompt from a file'
            cand --temperature 'Sampling temperature, in [0, 2)'
            cand --top-p 'Nucleus sampling probability, in (0, 1]'
            cand --top-k 'Sample from the K most likely tokens'
            cand --max-tokens 'Maximum tokens in the reply'
            cand --seed 'Seed for reproducible sampling'
            cand --stop 'Stop when the model produces this text (repeatable)'
            cand --presence-penalty 'Presence penalty, in [-2, 2]'
            cand --repetition-penalty 'Repetition penalty (1.0 = none)'
            cand --thinking-budget 'Maximum reasoning tokens'
            cand --schema 'Ask for a reply matching this JSON Schema file; the reply is validated locally'
            cand --extra 'Add any other field to the request body, e.g. `--extra ''n=2''` (repeatable)'
            cand -g 'Only files matching this glob; `!GLOB` excludes (repeatable)'
            cand --glob 'Only files matching this glob; `!GLOB` excludes (repeatable)'
            cand --max-depth 'Descend at most this many directory levels'
            cand -j 'Requests in flight at most'
            cand --concurrency 'Requests in flight at most'
            cand --rpm 'Start at most N requests per minute'
            cand --tpm 'Send at most N input tokens per minute (estimated before, corrected after)'
            cand --max-items 'Take at most N items'
            cand --max-bytes 'Skip files larger than this (e.g. `200KB`, `1MiB`)'
            cand -o 'Write the JSONL results to this file instead of stdout'
            cand --output 'Write the JSONL results to this file instead of stdout'
            cand --out-dir 'Write each reply to its own file under DIR, mirroring the input paths'
            cand --ext 'Extension appended to --out-dir files'
            cand --profile 'Config profile to use (a `[profiles.NAME]` table in config.toml)'
            cand --region 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong)'
            cand --base-url 'Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:8080/v1`'
            cand -m 'Model to use, e.g. `qwen-plus`'
            cand --model 'Model to use, e.g. `qwen-plus`'
            cand --format 'Output format: text, jsonl or json for replies; table, json, jsonl, csv or prometheus for `qwen usage`'
            cand --retries 'Retries for transient failures (connection errors, timeouts, 408/429/5xx)'
            cand --timeout 'Connect timeout, e.g. `10s` or `500ms`'
            cand --first-token-timeout 'Longest wait for the first event of a reply (the whole reply with --no-stream)'
            cand --idle-timeout 'Longest silence between two chunks of a streamed reply'
            cand --think 'Turn thinking (reasoning) on for hybrid models'
            cand --no-think 'Turn thinking off for hybrid models'
            cand --search 'Let the model search the web (`enable_search`)'
            cand --json 'Ask for a JSON object reply; the reply is checked to be JSON'
            cand --no-stream 'Wait for the whole reply instead of streaming it'
            cand --hidden 'Include hidden files and directories'
            cand --no-ignore 'Do not honour `.gitignore`, `.ignore` and similar files'
            cand --fail-fast 'Stop starting items after the first one that fails for good'
            cand --dry-run 'List the items with estimated input tokens and send nothing'
            cand --truncate 'Send the start of files larger than --max-bytes instead of skipping them'
            cand --lossy 'Accept non-UTF-8 files, replacing invalid bytes with U+FFFD'
            cand --ordered 'Write results in input order (default: as they finish)'
            cand --resume 'Skip items already done in --output / --out-dir; retry the failed ones'
            cand --allow-insecure-http 'Allow sending the API key over plain http:// to a host that is not loopback'
            cand --no-ledger 'Do not record this call in the local usage ledger'
            cand -v 'Print each request and response status to stderr (the API key is redacted)'
            cand --verbose 'Print each request and response status to stderr (the API key is redacted)'
            cand -q 'Print no notes, retries or warnings on stderr (errors still print)'
            cand --quiet 'Print no notes, retries or warnings on stderr (errors still print)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'qwen;usage'= {
            cand --since 'Start of the window: `7d` or `24h` ago, a UTC date `2026-11-01`, `today`, `yesterday`'
            cand --until 'End of the window (exclusive), in the same forms as --since'
            cand -m 'Only calls to this model (repeatable, or comma-separated)'
            cand --model 'Only calls to this model (repeatable, or comma-separated)'
            cand --command 'Only calls made by this command, e.g. `chat` or `batch` (repeatable, or comma-separated)'
            cand --profile 'Only calls made under this config profile (repeatable, or comma-separated)'
            cand --by 'Split the totals by these keys (repeatable, or comma-separated, e.g. `day,model`)'
            cand --budget 'Exit with status 7 when the estimated spend in the window exceeds this, e.g. `5` or `30cny` (without a currency, every currency is held to it)'
            cand --region 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong)'
            cand --base-url 'Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:8080/v1`'
            cand --format 'Output format: text, jsonl or json for replies; table, json, jsonl, csv or prometheus for `qwen usage`'
            cand --retries 'Retries for transient failures (connection errors, timeouts, 408/429/5xx)'
            cand --timeout 'Connect timeout, e.g. `10s` or `500ms`'
            cand --first-token-timeout 'Longest wait for the first event of a reply (the whole reply with --no-stream)'
            cand --idle-timeout 'Longest silence between two chunks of a streamed reply'
            cand --allow-insecure-http 'Allow sending the API key over plain http:// to a host that is not loopback'
            cand --no-ledger 'Do not record this call in the local usage ledger'
            cand -v 'Print each request and response status to stderr (the API key is redacted)'
            cand --verbose 'Print each request and response status to stderr (the API key is redacted)'
            cand -q 'Print no notes, retries or warnings on stderr (errors still print)'
            cand --quiet 'Print no notes, retries or warnings on stderr (errors still print)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand log 'List recorded calls, oldest first (the filters of `qwen usage` apply)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'qwen;usage;log'= {
            cand -n 'Show the last N calls'
            cand --limit 'Show the last N calls'
            cand --since 'Start of the window: `7d` or `24h` ago, a UTC date `2026-11-01`, `today`, `yesterday`'
            cand --until 'End of the window (exclusive), in the same forms as --since'
            cand -m 'Only calls to this model (repeatable, or comma-separated)'
            cand --model 'Only calls to this model (repeatable, or comma-separated)'
            cand --command 'Only calls made by this command, e.g. `chat` or `batch` (repeatable, or comma-separated)'
            cand --profile 'Only calls made under this config profile (repeatable, or comma-separated)'
            cand --region 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong)'
            cand --base-url 'Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:8080/v1`'
            cand --format 'Output format: text, jsonl or json for replies; table, json, jsonl, csv or prometheus for `qwen usage`'
            cand --retries 'Retries for transient failures (connection errors, timeouts, 408/429/5xx)'
            cand --timeout 'Connect timeout, e.g. `10s` or `500ms`'
            cand --first-token-timeout 'Longest wait for the first event of a reply (the whole reply with --no-stream)'
            cand --idle-timeout 'Longest silence between two chunks of a streamed reply'
            cand --allow-insecure-http 'Allow sending the API key over plain http:// to a host that is not loopback'
            cand --no-ledger 'Do not record this call in the local usage ledger'
            cand -v 'Print each request and response status to stderr (the API key is redacted)'
            cand --verbose 'Print each request and response status to stderr (the API key is redacted)'
            cand -q 'Print no notes, retries or warnings on stderr (errors still print)'
            cand --quiet 'Print no notes, retries or warnings on stderr (errors still print)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'qwen;usage;help'= {
            cand log 'List recorded calls, oldest first (the filters of `qwen usage` apply)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'qwen;usage;help;log'= {
        }
        &'qwen;usage;help;help'= {
        }
        &'qwen;cache'= {
            cand --profile 'Config profile to use (a `[profiles.NAME]` table in config.toml)'
            cand --region 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong)'
            cand --base-url 'Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:8080/v1`'
            cand -m 'Model to use, e.g. `qwen-plus`'
            cand --model 'Model to use, e.g. `qwen-plus`'
            cand --format 'Output format: text, jsonl or json for replies; table, json, jsonl, csv or prometheus for `qwen usage`'
            cand --retries 'Retries for transient failures (connection errors, timeouts, 408/429/5xx)'
            cand --timeout 'Connect timeout, e.g. `10s` or `500ms`'
            cand --first-token-timeout 'Longest wait for the first event of a reply (the whole reply with --no-stream)'
            cand --idle-timeout 'Longest silence between two chunks of a streamed reply'
            cand --allow-insecure-http 'Allow sending the API key over plain http:// to a host that is not loopback'
            cand --no-ledger 'Do not record this call in the local usage ledger'
            cand -v 'Print each request and response status to stderr (the API key is redacted)'
            cand --verbose 'Print each request and response status to stderr (the API key is redacted)'
            cand -q 'Print no notes, retries or warnings on stderr (errors still print)'
            cand --quiet 'Print no notes, retries or warnings on stderr (errors still print)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand stats 'Show how many replies are stored and what cache hits saved (the default)'
            cand clear 'Delete stored replies'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'qwen;cache;stats'= {
            cand --profile 'Config profile to use (a `[profiles.NAME]` table in config.toml)'
            cand --region 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong)'
            cand --base-url 'Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:8080/v1`'
            cand -m 'Model to use, e.g. `qwen-plus`'
            cand --model 'Model to use, e.g. `qwen-plus`'
            cand --format 'Output format: text, jsonl or json for replies; table, json, jsonl, csv or prometheus for `qwen usage`'
            cand --retries 'Retries for transient failures (connection errors, timeouts, 408/429/5xx)'
            cand --timeout 'Connect timeout, e.g. `10s` or `500ms`'
            cand --first-token-timeout 'Longest wait for the first event of a reply (the whole reply with --no-stream)'
            cand --idle-timeout 'Longest silence between two chunks of a streamed reply'
            cand --allow-insecure-http 'Allow sending the API key over plain http:// to a host that is not loopback'
            cand --no-ledger 'Do not record this call in the local usage ledger'
            cand -v 'Print each request and response status to stderr (the API key is redacted)'
            cand --verbose 'Print each request and response status to stderr (the API key is redacted)'
            cand -q 'Print no notes, retries or warnings on stderr (errors still print)'
            cand --quiet 'Print no notes, retries or warnings on stderr (errors still print)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'qwen;cache;clear'= {
            cand --older-than 'Delete only replies stored longer ago than this, e.g. `7d`'
            cand --profile 'Config profile to use (a `[profiles.NAME]` table in config.toml)'
            cand --region 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong)'
            cand --base-url 'Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:8080/v1`'
            cand -m 'Model to use, e.g. `qwen-plus`'
            cand --model 'Model to use, e.g. `qwen-plus`'
            cand --format 'Output format: text, jsonl or json for replies; table, json, jsonl, csv or prometheus for `qwen usage`'
            cand --retries 'Retries for transient failures (connection errors, timeouts, 408/429/5xx)'
            cand --timeout 'Connect timeout, e.g. `10s` or `500ms`'
            cand --first-token-timeout 'Longest wait for the first event of a reply (the whole reply with --no-stream)'
            cand --idle-timeout 'Longest silence between two chunks of a streamed reply'
            cand --allow-insecure-http 'Allow sending the API key over plain http:// to a host that is not loopback'
            cand --no-ledger 'Do not record this call in the local usage ledger'
            cand -v 'Print each request and response status to stderr (the API key is redacted)'
            cand --verbose 'Print each request and response status to stderr (the API key is redacted)'
            cand -q 'Print no notes, retries or warnings on stderr (errors still print)'
            cand --quiet 'Print no notes, retries or warnings on stderr (errors still print)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'qwen;cache;help'= {
            cand stats 'Show how many replies are stored and what cache hits saved (the default)'
            cand clear 'Delete stored replies'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'qwen;cache;help;stats'= {
        }
        &'qwen;cache;help;clear'= {
        }
        &'qwen;cache;help;help'= {
        }
        &'qwen;completions'= {
            cand --profile 'Config profile to use (a `[profiles.NAME]` table in config.toml)'
            cand --region 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong)'
            cand --base-url 'Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:8080/v1`'
            cand -m 'Model to use, e.g. `qwen-plus`'
            cand --model 'Model to use, e.g. `qwen-plus`'
            cand --format 'Output format: text, jsonl or json for replies; table, json, jsonl, csv or prometheus for `qwen usage`'
            cand --retries 'Retries for transient failures (connection errors, timeouts, 408/429/5xx)'
            cand --timeout 'Connect timeout, e.g. `10s` or `500ms`'
            cand --first-token-timeout 'Longest wait for the first event of a reply (the whole reply with --no-stream)'
            cand --idle-timeout 'Longest silence between two chunks of a streamed reply'
            cand --allow-insecure-http 'Allow sending the API key over plain http:// to a host that is not loopback'
            cand --no-ledger 'Do not record this call in the local usage ledger'
            cand -v 'Print each request and response status to stderr (the API key is redacted)'
            cand --verbose 'Print each request and response status to stderr (the API key is redacted)'
            cand -q 'Print no notes, retries or warnings on stderr (errors still print)'
            cand --quiet 'Print no notes, retries or warnings on stderr (errors still print)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'qwen;help'= {
            cand chat 'Send a prompt to a chat model and stream the reply'
            cand batch 'Send many prompts (files, or JSONL requests) with bounded concurrency'
            cand usage 'Report tokens, estimated spend, errors and latency from the local usage ledger'
            cand cache 'Show or clear the response cache that `--cache` fills'
            cand completions 'Print a shell completion script to stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'qwen;help;chat'= {
        }
        &'qwen;help;batch'= {
        }
        &'qwen;help;usage'= {
            cand log 'List recorded calls, oldest first (the filters of `qwen usage` apply)'
        }
        &'qwen;help;usage;log'= {
        }
        &'qwen;help;cache'= {
            cand stats 'Show how many replies are stored and what cache hits saved (the default)'
            cand clear 'Delete stored replies'
        }
        &'qwen;help;cache;stats'= {
        }
        &'qwen;help;cache;clear'= {
        }
        &'qwen;help;completions'= {
        }
        &'qwen;help;help'= {
        }
    ]
    $completions[$command]
}
