
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
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Config profile to use (a `[profiles.NAME]` table in config.toml)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong)')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:8080/v1`')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Model to use, e.g. `qwen-plus`')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Model to use, e.g. `qwen-plus`')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: text, jsonl or json for replies; table, json, jsonl, csv or prometheus for `qwen usage`')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for transient failures (connection errors, timeouts, 408/429/5xx)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect timeout, e.g. `10s` or `500ms`')
            [CompletionResult]::new('--first-token-timeout', '--first-token-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the first event of a reply (the whole reply with --no-stream)')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence between two chunks of a streamed reply')
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
            [CompletionResult]::new('batch', 'batch', [CompletionResultType]::ParameterValue, 'Send many prompts (files, or JSONL requests) with bounded concurrency')
            [CompletionResult]::new('usage', 'usage', [CompletionResultType]::ParameterValue, 'Report tokens, estimated spend, errors and latency from the local usage ledger')
            [CompletionResult]::new('cache', 'cache', [CompletionResultType]::ParameterValue, 'Show or clear the response cache that `--cache` fills')
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
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Continue (or start) the conversation with this name')
            [CompletionResult]::new('--max-history', '--max-history', [CompletionResultType]::ParameterName, 'Send at most N earlier messages of the conversation')
            [CompletionResult]::new('--cache-ttl', '--cache-ttl', [CompletionResultType]::ParameterName, 'Reuse only cached replies younger than this, e.g. `1h` (implies --cache)')
            [CompletionResult]::new('--fallback-model', '--fallback-model', [CompletionResultType]::ParameterName, 'Try this model when the main one is unavailable or keeps failing (repeatable)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Config profile to use (a `[profiles.NAME]` table in config.toml)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong)')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:8080/v1`')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Model to use, e.g. `qwen-plus`')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Model to use, e.g. `qwen-plus`')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: text, jsonl or json for replies; table, json, jsonl, csv or prometheus for `qwen usage`')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for transient failures (connection errors, timeouts, 408/429/5xx)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect timeout, e.g. `10s` or `500ms`')
            [CompletionResult]::new('--first-token-timeout', '--first-token-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the first event of a reply (the whole reply with --no-stream)')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence between two chunks of a streamed reply')
            [CompletionResult]::new('--no-stdin', '--no-stdin', [CompletionResultType]::ParameterName, 'Never read standard input, even when it is a pipe')
            [CompletionResult]::new('--lossy', '--lossy', [CompletionResultType]::ParameterName, 'Accept non-UTF-8 input, replacing invalid bytes with U+FFFD')
            [CompletionResult]::new('--think', '--think', [CompletionResultType]::ParameterName, 'Turn thinking (reasoning) on for hybrid models')
            [CompletionResult]::new('--no-think', '--no-think', [CompletionResultType]::ParameterName, 'Turn thinking off for hybrid models')
            [CompletionResult]::new('--search', '--search', [CompletionResultType]::ParameterName, 'Let the model search the web (`enable_search`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Ask for a JSON object reply; the reply is checked to be JSON')
            [CompletionResult]::new('--no-stream', '--no-stream', [CompletionResultType]::ParameterName, 'Wait for the whole reply instead of streaming it')
            [CompletionResult]::new('--show-thinking', '--show-thinking', [CompletionResultType]::ParameterName, 'Show reasoning on stderr even when stderr is not a terminal')
            [CompletionResult]::new('--hide-thinking', '--hide-thinking', [CompletionResultType]::ParameterName, 'Never show reasoning')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Print token usage to stderr when the reply is complete')
            [CompletionResult]::new('--usage', '--usage', [CompletionResultType]::ParameterName, 'Print token usage to stderr when the reply is complete')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Continue the most recent conversation')
            [CompletionResult]::new('--continue', '--continue', [CompletionResultType]::ParameterName, 'Continue the most recent conversation')
            [CompletionResult]::new('--no-save', '--no-save', [CompletionResultType]::ParameterName, 'Do not save this exchange (it cannot be continued)')
            [CompletionResult]::new('--list-sessions', '--list-sessions', [CompletionResultType]::ParameterName, 'List saved conversations and exit')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'Reuse the reply to an identical earlier request from the local cache (and store this one)')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Do not use the response cache, even if the profile turns it on')
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
        'qwen;batch' {
            [CompletionResult]::new('--input', '--input', [CompletionResultType]::ParameterName, 'Read requests from a JSONL file instead (`-` for standard input)')
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
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'Only files matching this glob; `!GLOB` excludes (repeatable)')
            [CompletionResult]::new('--glob', '--glob', [CompletionResultType]::ParameterName, 'Only files matching this glob; `!GLOB` excludes (repeatable)')
            [CompletionResult]::new('--max-depth', '--max-depth', [CompletionResultType]::ParameterName, 'Descend at most this many directory levels')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Requests in flight at most')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Requests in flight at most')
            [CompletionResult]::new('--rpm', '--rpm', [CompletionResultType]::ParameterName, 'Start at most N requests per minute')
            [CompletionResult]::new('--tpm', '--tpm', [CompletionResultType]::ParameterName, 'Send at most N input tokens per minute (estimated before, corrected after)')
            [CompletionResult]::new('--max-items', '--max-items', [CompletionResultType]::ParameterName, 'Take at most N items')
            [CompletionResult]::new('--max-bytes', '--max-bytes', [CompletionResultType]::ParameterName, 'Skip files larger than this (e.g. `200KB`, `1MiB`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the JSONL results to this file instead of stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the JSONL results to this file instead of stdout')
            [CompletionResult]::new('--out-dir', '--out-dir', [CompletionResultType]::ParameterName, 'Write each reply to its own file under DIR, mirroring the input paths')
            [CompletionResult]::new('--ext', '--ext', [CompletionResultType]::ParameterName, 'Extension appended to --out-dir files')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Config profile to use (a `[profiles.NAME]` table in config.toml)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong)')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:8080/v1`')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Model to use, e.g. `qwen-plus`')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Model to use, e.g. `qwen-plus`')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: text, jsonl or json for replies; table, json, jsonl, csv or prometheus for `qwen usage`')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for transient failures (connection errors, timeouts, 408/429/5xx)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect timeout, e.g. `10s` or `500ms`')
            [CompletionResult]::new('--first-token-timeout', '--first-token-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the first event of a reply (the whole reply with --no-stream)')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence between two chunks of a streamed reply')
            [CompletionResult]::new('--think', '--think', [CompletionResultType]::ParameterName, 'Turn thinking (reasoning) on for hybrid models')
            [CompletionResult]::new('--no-think', '--no-think', [CompletionResultType]::ParameterName, 'Turn thinking off for hybrid models')
            [CompletionResult]::new('--search', '--search', [CompletionResultType]::ParameterName, 'Let the model search the web (`enable_search`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Ask for a JSON object reply; the reply is checked to be JSON')
            [CompletionResult]::new('--no-stream', '--no-stream', [CompletionResultType]::ParameterName, 'Wait for the whole reply instead of streaming it')
            [CompletionResult]::new('--hidden', '--hidden', [CompletionResultType]::ParameterName, 'Include hidden files and directories')
            [CompletionResult]::new('--no-ignore', '--no-ignore', [CompletionResultType]::ParameterName, 'Do not honour `.gitignore`, `.ignore` and similar files')
            [CompletionResult]::new('--fail-fast', '--fail-fast', [CompletionResultType]::ParameterName, 'Stop starting items after the first one that fails for good')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'List the items with estimated input tokens and send nothing')
            [CompletionResult]::new('--truncate', '--truncate', [CompletionResultType]::ParameterName, 'Send the start of files larger than --max-bytes instead of skipping them')
            [CompletionResult]::new('--lossy', '--lossy', [CompletionResultType]::ParameterName, 'Accept non-UTF-8 files, replacing invalid bytes with U+FFFD')
            [CompletionResult]::new('--ordered', '--ordered', [CompletionResultType]::ParameterName, 'Write results in input order (default: as they finish)')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Skip items already done in --output / --out-dir; retry the failed ones')
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
        'qwen;usage' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Start of the window: `7d` or `24h` ago, a UTC date `2026-11-01`, `today`, `yesterday`')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'End of the window (exclusive), in the same forms as --since')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Only calls to this model (repeatable, or comma-separated)')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Only calls to this model (repeatable, or comma-separated)')
            [CompletionResult]::new('--command', '--command', [CompletionResultType]::ParameterName, 'Only calls made by this command, e.g. `chat` or `batch` (repeatable, or comma-separated)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Only calls made under this config profile (repeatable, or comma-separated)')
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Split the totals by these keys (repeatable, or comma-separated, e.g. `day,model`)')
            [CompletionResult]::new('--budget', '--budget', [CompletionResultType]::ParameterName, 'Exit with status 7 when the estimated spend in the window exceeds this, e.g. `5` or `30cny` (without a currency, every currency is held to it)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong)')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:8080/v1`')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: text, jsonl or json for replies; table, json, jsonl, csv or prometheus for `qwen usage`')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for transient failures (connection errors, timeouts, 408/429/5xx)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect timeout, e.g. `10s` or `500ms`')
            [CompletionResult]::new('--first-token-timeout', '--first-token-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the first event of a reply (the whole reply with --no-stream)')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence between two chunks of a streamed reply')
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
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Start of the window: `7d` or `24h` ago, a UTC date `2026-11-01`, `today`, `yesterday`')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'End of the window (exclusive), in the same forms as --since')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Only calls to this model (repeatable, or comma-separated)')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Only calls to this model (repeatable, or comma-separated)')
            [CompletionResult]::new('--command', '--command', [CompletionResultType]::ParameterName, 'Only calls made by this command, e.g. `chat` or `batch` (repeatable, or comma-separated)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Only calls made under this config profile (repeatable, or comma-separated)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong)')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:8080/v1`')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: text, jsonl or json for replies; table, json, jsonl, csv or prometheus for `qwen usage`')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for transient failures (connection errors, timeouts, 408/429/5xx)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect timeout, e.g. `10s` or `500ms`')
            [CompletionResult]::new('--first-token-timeout', '--first-token-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the first event of a reply (the whole reply with --no-stream)')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence between two chunks of a streamed reply')
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
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Config profile to use (a `[profiles.NAME]` table in config.toml)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong)')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:8080/v1`')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Model to use, e.g. `qwen-plus`')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Model to use, e.g. `qwen-plus`')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: text, jsonl or json for replies; table, json, jsonl, csv or prometheus for `qwen usage`')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for transient failures (connection errors, timeouts, 408/429/5xx)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect timeout, e.g. `10s` or `500ms`')
            [CompletionResult]::new('--first-token-timeout', '--first-token-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the first event of a reply (the whole reply with --no-stream)')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence between two chunks of a streamed reply')
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
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Config profile to use (a `[profiles.NAME]` table in config.toml)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong)')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:8080/v1`')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Model to use, e.g. `qwen-plus`')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Model to use, e.g. `qwen-plus`')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: text, jsonl or json for replies; table, json, jsonl, csv or prometheus for `qwen usage`')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for transient failures (connection errors, timeouts, 408/429/5xx)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect timeout, e.g. `10s` or `500ms`')
            [CompletionResult]::new('--first-token-timeout', '--first-token-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the first event of a reply (the whole reply with --no-stream)')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence between two chunks of a streamed reply')
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
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Config profile to use (a `[profiles.NAME]` table in config.toml)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong)')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:8080/v1`')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Model to use, e.g. `qwen-plus`')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Model to use, e.g. `qwen-plus`')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: text, jsonl or json for replies; table, json, jsonl, csv or prometheus for `qwen usage`')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for transient failures (connection errors, timeouts, 408/429/5xx)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect timeout, e.g. `10s` or `500ms`')
            [CompletionResult]::new('--first-token-timeout', '--first-token-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the first event of a reply (the whole reply with --no-stream)')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence between two chunks of a streamed reply')
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
        'qwen;completions' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Config profile to use (a `[profiles.NAME]` table in config.toml)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong)')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:8080/v1`')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Model to use, e.g. `qwen-plus`')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Model to use, e.g. `qwen-plus`')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: text, jsonl or json for replies; table, json, jsonl, csv or prometheus for `qwen usage`')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries for transient failures (connection errors, timeouts, 408/429/5xx)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect timeout, e.g. `10s` or `500ms`')
            [CompletionResult]::new('--first-token-timeout', '--first-token-timeout', [CompletionResultType]::ParameterName, 'Longest wait for the first event of a reply (the whole reply with --no-stream)')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Longest silence between two chunks of a streamed reply')
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
            [CompletionResult]::new('batch', 'batch', [CompletionResultType]::ParameterValue, 'Send many prompts (files, or JSONL requests) with bounded concurrency')
            [CompletionResult]::new('usage', 'usage', [CompletionResultType]::ParameterValue, 'Report tokens, estimated spend, errors and latency from the local usage ledger')
            [CompletionResult]::new('cache', 'cache', [CompletionResultType]::ParameterValue, 'Show or clear the response cache that `--cache` fills')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script to stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'qwen;help;chat' {
            break
        }
        'qwen;help;batch' {
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
