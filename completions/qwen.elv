
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
            cand --format 'Output format'
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
            cand --fallback-model 'Try this model when the main one is unavailable or keeps failing (repeatable)'
            cand --profile 'Config profile to use (a `[profiles.NAME]` table in config.toml)'
            cand --region 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong)'
            cand --base-url 'Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:8080/v1`'
            cand -m 'Model to use, e.g. `qwen-plus`'
            cand --model 'Model to use, e.g. `qwen-plus`'
            cand --format 'Output format'
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
        &'qwen;completions'= {
            cand --profile 'Config profile to use (a `[profiles.NAME]` table in config.toml)'
            cand --region 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong)'
            cand --base-url 'Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:8080/v1`'
            cand -m 'Model to use, e.g. `qwen-plus`'
            cand --model 'Model to use, e.g. `qwen-plus`'
            cand --format 'Output format'
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
            cand completions 'Print a shell completion script to stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'qwen;help;chat'= {
        }
        &'qwen;help;completions'= {
        }
        &'qwen;help;help'= {
        }
    ]
    $completions[$command]
}
