# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_qwen_global_optspecs
    string join \n profile= region= base-url= m/model= format= retries= timeout= first-token-timeout= idle-timeout= allow-insecure-http no-ledger v/verbose q/quiet h/help V/version
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

complete -c qwen -n "__fish_qwen_needs_command" -l profile -d 'Config profile to use (a `[profiles.NAME]` table in config.toml)' -r
complete -c qwen -n "__fish_qwen_needs_command" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong)' -r
complete -c qwen -n "__fish_qwen_needs_command" -l base-url -d 'Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:8080/v1`' -r
complete -c qwen -n "__fish_qwen_needs_command" -s m -l model -d 'Model to use, e.g. `qwen-plus`' -r
complete -c qwen -n "__fish_qwen_needs_command" -l format -d 'Output format: text, jsonl or json for replies; table, json, jsonl, csv or prometheus for `qwen usage`' -r -f -a "text\t'Plain text (replies), an aligned table (reports)'
jsonl\t'One JSON object per line'
json\t'One JSON object'
table\t'An aligned table (`qwen usage`)'
csv\t'Comma-separated values with a header line (`qwen usage`)'
prometheus\t'Prometheus text format for node_exporter\'s textfile collector (`qwen usage`)'"
complete -c qwen -n "__fish_qwen_needs_command" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx)' -r
complete -c qwen -n "__fish_qwen_needs_command" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms`' -r
complete -c qwen -n "__fish_qwen_needs_command" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream)' -r
complete -c qwen -n "__fish_qwen_needs_command" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply' -r
complete -c qwen -n "__fish_qwen_needs_command" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_needs_command" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_needs_command" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_needs_command" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_needs_command" -s V -l version -d 'Print version'
complete -c qwen -n "__fish_qwen_needs_command" -f -a "chat" -d 'Send a prompt to a chat model and stream the reply'
complete -c qwen -n "__fish_qwen_needs_command" -f -a "batch" -d 'Send many prompts (files, or JSONL requests) with bounded concurrency'
complete -c qwen -n "__fish_qwen_needs_command" -f -a "usage" -d 'Report tokens, estimated spend, errors and latency from the local usage ledger'
complete -c qwen -n "__fish_qwen_needs_command" -f -a "cache" -d 'Show or clear the response cache that `--cache` fills'
complete -c qwen -n "__fish_qwen_needs_command" -f -a "completions" -d 'Print a shell completion script to stdout'
complete -c qwen -n "__fish_qwen_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -s s -l system -d 'System prompt' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l system-file -d 'Read the system prompt from a file' -r -F
complete -c qwen -n "__fish_qwen_using_subcommand chat" -s f -l file -d 'Attach a file to the prompt, with its path as a header (repeatable)' -r -F
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
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l session -d 'Continue (or start) the conversation with this name' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l max-history -d 'Send at most N earlier messages of the conversation' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l cache-ttl -d 'Reuse only cached replies younger than this, e.g. `1h` (implies --cache)' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l fallback-model -d 'Try this model when the main one is unavailable or keeps failing (repeatable)' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l profile -d 'Config profile to use (a `[profiles.NAME]` table in config.toml)' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong)' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l base-url -d 'Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:8080/v1`' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -s m -l model -d 'Model to use, e.g. `qwen-plus`' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l format -d 'Output format: text, jsonl or json for replies; table, json, jsonl, csv or prometheus for `qwen usage`' -r -f -a "text\t'Plain text (replies), an aligned table (reports)'
jsonl\t'One JSON object per line'
json\t'One JSON object'
table\t'An aligned table (`qwen usage`)'
csv\t'Comma-separated values with a header line (`qwen usage`)'
prometheus\t'Prometheus text format for node_exporter\'s textfile collector (`qwen usage`)'"
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx)' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms`' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream)' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l no-stdin -d 'Never read standard input, even when it is a pipe'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l lossy -d 'Accept non-UTF-8 input, replacing invalid bytes with U+FFFD'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l think -d 'Turn thinking (reasoning) on for hybrid models'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l no-think -d 'Turn thinking off for hybrid models'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l search -d 'Let the model search the web (`enable_search`)'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l json -d 'Ask for a JSON object reply; the reply is checked to be JSON'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l no-stream -d 'Wait for the whole reply instead of streaming it'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l show-thinking -d 'Show reasoning on stderr even when stderr is not a terminal'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l hide-thinking -d 'Never show reasoning'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -s u -l usage -d 'Print token usage to stderr when the reply is complete'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -s c -l continue -d 'Continue the most recent conversation'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l no-save -d 'Do not save this exchange (it cannot be continued)'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l list-sessions -d 'List saved conversations and exit'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l cache -d 'Reuse the reply to an identical earlier request from the local cache (and store this one)'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l no-cache -d 'Do not use the response cache, even if the profile turns it on'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l dry-run -d 'Print the request that would be sent (key redacted) and send nothing'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l input -d 'Read requests from a JSONL file instead (`-` for standard input)' -r -F
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l prompt -d 'Prompt template for files, with `{path}`, `{name}` and `{content}` placeholders' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l prompt-file -d 'Read the prompt template from a file' -r -F
complete -c qwen -n "__fish_qwen_using_subcommand batch" -s s -l system -d 'System prompt for every item' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l system-file -d 'Read the system prompt from a file' -r -F
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l temperature -d 'Sampling temperature, in [0, 2)' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l top-p -d 'Nucleus sampling probability, in (0, 1]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l top-k -d 'Sample from the K most likely tokens' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l max-tokens -d 'Maximum tokens in the reply' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l seed -d 'Seed for reproducible sampling' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l stop -d 'Stop when the model produces this text (repeatable)' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l presence-penalty -d 'Presence penalty, in [-2, 2]' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l repetition-penalty -d 'Repetition penalty (1.0 = none)' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l thinking-budget -d 'Maximum reasoning tokens' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l schema -d 'Ask for a reply matching this JSON Schema file; the reply is validated locally' -r -F
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l extra -d 'Add any other field to the request body, e.g. `--extra \'n=2\'` (repeatable)' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch" -s g -l glob -d 'Only files matching this glob; `!GLOB` excludes (repeatable)' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l max-depth -d 'Descend at most this many directory levels' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch" -s j -l concurrency -d 'Requests in flight at most' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l rpm -d 'Start at most N requests per minute' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l tpm -d 'Send at most N input tokens per minute (estimated before, corrected after)' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l max-items -d 'Take at most N items' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l max-bytes -d 'Skip files larger than this (e.g. `200KB`, `1MiB`)' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch" -s o -l output -d 'Write the JSONL results to this file instead of stdout' -r -F
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l out-dir -d 'Write each reply to its own file under DIR, mirroring the input paths' -r -F
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l ext -d 'Extension appended to --out-dir files' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l profile -d 'Config profile to use (a `[profiles.NAME]` table in config.toml)' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong)' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l base-url -d 'Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:8080/v1`' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch" -s m -l model -d 'Model to use, e.g. `qwen-plus`' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l format -d 'Output format: text, jsonl or json for replies; table, json, jsonl, csv or prometheus for `qwen usage`' -r -f -a "text\t'Plain text (replies), an aligned table (reports)'
jsonl\t'One JSON object per line'
json\t'One JSON object'
table\t'An aligned table (`qwen usage`)'
csv\t'Comma-separated values with a header line (`qwen usage`)'
prometheus\t'Prometheus text format for node_exporter\'s textfile collector (`qwen usage`)'"
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx)' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms`' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream)' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply' -r
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l think -d 'Turn thinking (reasoning) on for hybrid models'
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l no-think -d 'Turn thinking off for hybrid models'
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l search -d 'Let the model search the web (`enable_search`)'
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l json -d 'Ask for a JSON object reply; the reply is checked to be JSON'
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l no-stream -d 'Wait for the whole reply instead of streaming it'
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l hidden -d 'Include hidden files and directories'
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l no-ignore -d 'Do not honour `.gitignore`, `.ignore` and similar files'
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l fail-fast -d 'Stop starting items after the first one that fails for good'
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l dry-run -d 'List the items with estimated input tokens and send nothing'
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l truncate -d 'Send the start of files larger than --max-bytes instead of skipping them'
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l lossy -d 'Accept non-UTF-8 files, replacing invalid bytes with U+FFFD'
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l ordered -d 'Write results in input order (default: as they finish)'
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l resume -d 'Skip items already done in --output / --out-dir; retry the failed ones'
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_using_subcommand batch" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand batch" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_using_subcommand batch" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_using_subcommand batch" -s h -l help -d 'Print help (see more with \'--help\')'
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
complete -c qwen -n "__fish_qwen_using_subcommand usage; and not __fish_seen_subcommand_from log help" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong)' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and not __fish_seen_subcommand_from log help" -l base-url -d 'Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:8080/v1`' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and not __fish_seen_subcommand_from log help" -l format -d 'Output format: text, jsonl or json for replies; table, json, jsonl, csv or prometheus for `qwen usage`' -r -f -a "text\t'Plain text (replies), an aligned table (reports)'
jsonl\t'One JSON object per line'
json\t'One JSON object'
table\t'An aligned table (`qwen usage`)'
csv\t'Comma-separated values with a header line (`qwen usage`)'
prometheus\t'Prometheus text format for node_exporter\'s textfile collector (`qwen usage`)'"
complete -c qwen -n "__fish_qwen_using_subcommand usage; and not __fish_seen_subcommand_from log help" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx)' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and not __fish_seen_subcommand_from log help" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms`' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and not __fish_seen_subcommand_from log help" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream)' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and not __fish_seen_subcommand_from log help" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and not __fish_seen_subcommand_from log help" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_using_subcommand usage; and not __fish_seen_subcommand_from log help" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand usage; and not __fish_seen_subcommand_from log help" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_using_subcommand usage; and not __fish_seen_subcommand_from log help" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_using_subcommand usage; and not __fish_seen_subcommand_from log help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_using_subcommand usage; and not __fish_seen_subcommand_from log help" -f -a "log" -d 'List recorded calls, oldest first (the filters of `qwen usage` apply)'
complete -c qwen -n "__fish_qwen_using_subcommand usage; and not __fish_seen_subcommand_from log help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c qwen -n "__fish_qwen_using_subcommand usage; and __fish_seen_subcommand_from log" -s n -l limit -d 'Show the last N calls' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and __fish_seen_subcommand_from log" -l since -d 'Start of the window: `7d` or `24h` ago, a UTC date `2026-11-01`, `today`, `yesterday`' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and __fish_seen_subcommand_from log" -l until -d 'End of the window (exclusive), in the same forms as --since' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and __fish_seen_subcommand_from log" -s m -l model -d 'Only calls to this model (repeatable, or comma-separated)' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and __fish_seen_subcommand_from log" -l command -d 'Only calls made by this command, e.g. `chat` or `batch` (repeatable, or comma-separated)' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and __fish_seen_subcommand_from log" -l profile -d 'Only calls made under this config profile (repeatable, or comma-separated)' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and __fish_seen_subcommand_from log" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong)' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and __fish_seen_subcommand_from log" -l base-url -d 'Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:8080/v1`' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and __fish_seen_subcommand_from log" -l format -d 'Output format: text, jsonl or json for replies; table, json, jsonl, csv or prometheus for `qwen usage`' -r -f -a "text\t'Plain text (replies), an aligned table (reports)'
jsonl\t'One JSON object per line'
json\t'One JSON object'
table\t'An aligned table (`qwen usage`)'
csv\t'Comma-separated values with a header line (`qwen usage`)'
prometheus\t'Prometheus text format for node_exporter\'s textfile collector (`qwen usage`)'"
complete -c qwen -n "__fish_qwen_using_subcommand usage; and __fish_seen_subcommand_from log" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx)' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and __fish_seen_subcommand_from log" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms`' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and __fish_seen_subcommand_from log" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream)' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and __fish_seen_subcommand_from log" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply' -r
complete -c qwen -n "__fish_qwen_using_subcommand usage; and __fish_seen_subcommand_from log" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_using_subcommand usage; and __fish_seen_subcommand_from log" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand usage; and __fish_seen_subcommand_from log" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_using_subcommand usage; and __fish_seen_subcommand_from log" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_using_subcommand usage; and __fish_seen_subcommand_from log" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_using_subcommand usage; and __fish_seen_subcommand_from help" -f -a "log" -d 'List recorded calls, oldest first (the filters of `qwen usage` apply)'
complete -c qwen -n "__fish_qwen_using_subcommand usage; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c qwen -n "__fish_qwen_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -l profile -d 'Config profile to use (a `[profiles.NAME]` table in config.toml)' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong)' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -l base-url -d 'Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:8080/v1`' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -s m -l model -d 'Model to use, e.g. `qwen-plus`' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -l format -d 'Output format: text, jsonl or json for replies; table, json, jsonl, csv or prometheus for `qwen usage`' -r -f -a "text\t'Plain text (replies), an aligned table (reports)'
jsonl\t'One JSON object per line'
json\t'One JSON object'
table\t'An aligned table (`qwen usage`)'
csv\t'Comma-separated values with a header line (`qwen usage`)'
prometheus\t'Prometheus text format for node_exporter\'s textfile collector (`qwen usage`)'"
complete -c qwen -n "__fish_qwen_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx)' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms`' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream)' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -f -a "stats" -d 'Show how many replies are stored and what cache hits saved (the default)'
complete -c qwen -n "__fish_qwen_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -f -a "clear" -d 'Delete stored replies'
complete -c qwen -n "__fish_qwen_using_subcommand cache; and not __fish_seen_subcommand_from stats clear help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from stats" -l profile -d 'Config profile to use (a `[profiles.NAME]` table in config.toml)' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from stats" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong)' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from stats" -l base-url -d 'Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:8080/v1`' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from stats" -s m -l model -d 'Model to use, e.g. `qwen-plus`' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from stats" -l format -d 'Output format: text, jsonl or json for replies; table, json, jsonl, csv or prometheus for `qwen usage`' -r -f -a "text\t'Plain text (replies), an aligned table (reports)'
jsonl\t'One JSON object per line'
json\t'One JSON object'
table\t'An aligned table (`qwen usage`)'
csv\t'Comma-separated values with a header line (`qwen usage`)'
prometheus\t'Prometheus text format for node_exporter\'s textfile collector (`qwen usage`)'"
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from stats" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx)' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from stats" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms`' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from stats" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream)' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from stats" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from stats" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from stats" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from stats" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from stats" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from stats" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from clear" -l older-than -d 'Delete only replies stored longer ago than this, e.g. `7d`' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from clear" -l profile -d 'Config profile to use (a `[profiles.NAME]` table in config.toml)' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from clear" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong)' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from clear" -l base-url -d 'Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:8080/v1`' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from clear" -s m -l model -d 'Model to use, e.g. `qwen-plus`' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from clear" -l format -d 'Output format: text, jsonl or json for replies; table, json, jsonl, csv or prometheus for `qwen usage`' -r -f -a "text\t'Plain text (replies), an aligned table (reports)'
jsonl\t'One JSON object per line'
json\t'One JSON object'
table\t'An aligned table (`qwen usage`)'
csv\t'Comma-separated values with a header line (`qwen usage`)'
prometheus\t'Prometheus text format for node_exporter\'s textfile collector (`qwen usage`)'"
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from clear" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx)' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from clear" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms`' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from clear" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream)' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from clear" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply' -r
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from clear" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from clear" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from clear" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from clear" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from clear" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "stats" -d 'Show how many replies are stored and what cache hits saved (the default)'
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "clear" -d 'Delete stored replies'
complete -c qwen -n "__fish_qwen_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c qwen -n "__fish_qwen_using_subcommand completions" -l profile -d 'Config profile to use (a `[profiles.NAME]` table in config.toml)' -r
complete -c qwen -n "__fish_qwen_using_subcommand completions" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong)' -r
complete -c qwen -n "__fish_qwen_using_subcommand completions" -l base-url -d 'Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:8080/v1`' -r
complete -c qwen -n "__fish_qwen_using_subcommand completions" -s m -l model -d 'Model to use, e.g. `qwen-plus`' -r
complete -c qwen -n "__fish_qwen_using_subcommand completions" -l format -d 'Output format: text, jsonl or json for replies; table, json, jsonl, csv or prometheus for `qwen usage`' -r -f -a "text\t'Plain text (replies), an aligned table (reports)'
jsonl\t'One JSON object per line'
json\t'One JSON object'
table\t'An aligned table (`qwen usage`)'
csv\t'Comma-separated values with a header line (`qwen usage`)'
prometheus\t'Prometheus text format for node_exporter\'s textfile collector (`qwen usage`)'"
complete -c qwen -n "__fish_qwen_using_subcommand completions" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx)' -r
complete -c qwen -n "__fish_qwen_using_subcommand completions" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms`' -r
complete -c qwen -n "__fish_qwen_using_subcommand completions" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream)' -r
complete -c qwen -n "__fish_qwen_using_subcommand completions" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply' -r
complete -c qwen -n "__fish_qwen_using_subcommand completions" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_using_subcommand completions" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand completions" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_using_subcommand completions" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_using_subcommand help; and not __fish_seen_subcommand_from chat batch usage cache completions help" -f -a "chat" -d 'Send a prompt to a chat model and stream the reply'
complete -c qwen -n "__fish_qwen_using_subcommand help; and not __fish_seen_subcommand_from chat batch usage cache completions help" -f -a "batch" -d 'Send many prompts (files, or JSONL requests) with bounded concurrency'
complete -c qwen -n "__fish_qwen_using_subcommand help; and not __fish_seen_subcommand_from chat batch usage cache completions help" -f -a "usage" -d 'Report tokens, estimated spend, errors and latency from the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand help; and not __fish_seen_subcommand_from chat batch usage cache completions help" -f -a "cache" -d 'Show or clear the response cache that `--cache` fills'
complete -c qwen -n "__fish_qwen_using_subcommand help; and not __fish_seen_subcommand_from chat batch usage cache completions help" -f -a "completions" -d 'Print a shell completion script to stdout'
complete -c qwen -n "__fish_qwen_using_subcommand help; and not __fish_seen_subcommand_from chat batch usage cache completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c qwen -n "__fish_qwen_using_subcommand help; and __fish_seen_subcommand_from usage" -f -a "log" -d 'List recorded calls, oldest first (the filters of `qwen usage` apply)'
complete -c qwen -n "__fish_qwen_using_subcommand help; and __fish_seen_subcommand_from cache" -f -a "stats" -d 'Show how many replies are stored and what cache hits saved (the default)'
complete -c qwen -n "__fish_qwen_using_subcommand help; and __fish_seen_subcommand_from cache" -f -a "clear" -d 'Delete stored replies'
