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
complete -c qwen -n "__fish_qwen_needs_command" -l format -d 'Output format' -r -f -a "text\t'Plain text, streamed as it arrives'
jsonl\t'One JSON event per line (`{"v":1,"type":"text",...}`), streamed'
json\t'One JSON object when the reply is complete'"
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
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l fallback-model -d 'Try this model when the main one is unavailable or keeps failing (repeatable)' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l profile -d 'Config profile to use (a `[profiles.NAME]` table in config.toml)' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong)' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l base-url -d 'Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:8080/v1`' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -s m -l model -d 'Model to use, e.g. `qwen-plus`' -r
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l format -d 'Output format' -r -f -a "text\t'Plain text, streamed as it arrives'
jsonl\t'One JSON event per line (`{"v":1,"type":"text",...}`), streamed'
json\t'One JSON object when the reply is complete'"
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
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l dry-run -d 'Print the request that would be sent (key redacted) and send nothing'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_using_subcommand chat" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_using_subcommand completions" -l profile -d 'Config profile to use (a `[profiles.NAME]` table in config.toml)' -r
complete -c qwen -n "__fish_qwen_using_subcommand completions" -l region -d 'DashScope region: cn (Beijing), intl (Singapore), us (Virginia) or hk (Hong Kong)' -r
complete -c qwen -n "__fish_qwen_using_subcommand completions" -l base-url -d 'Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:8080/v1`' -r
complete -c qwen -n "__fish_qwen_using_subcommand completions" -s m -l model -d 'Model to use, e.g. `qwen-plus`' -r
complete -c qwen -n "__fish_qwen_using_subcommand completions" -l format -d 'Output format' -r -f -a "text\t'Plain text, streamed as it arrives'
jsonl\t'One JSON event per line (`{"v":1,"type":"text",...}`), streamed'
json\t'One JSON object when the reply is complete'"
complete -c qwen -n "__fish_qwen_using_subcommand completions" -l retries -d 'Retries for transient failures (connection errors, timeouts, 408/429/5xx)' -r
complete -c qwen -n "__fish_qwen_using_subcommand completions" -l timeout -d 'Connect timeout, e.g. `10s` or `500ms`' -r
complete -c qwen -n "__fish_qwen_using_subcommand completions" -l first-token-timeout -d 'Longest wait for the first event of a reply (the whole reply with --no-stream)' -r
complete -c qwen -n "__fish_qwen_using_subcommand completions" -l idle-timeout -d 'Longest silence between two chunks of a streamed reply' -r
complete -c qwen -n "__fish_qwen_using_subcommand completions" -l allow-insecure-http -d 'Allow sending the API key over plain http:// to a host that is not loopback'
complete -c qwen -n "__fish_qwen_using_subcommand completions" -l no-ledger -d 'Do not record this call in the local usage ledger'
complete -c qwen -n "__fish_qwen_using_subcommand completions" -s v -l verbose -d 'Print each request and response status to stderr (the API key is redacted)'
complete -c qwen -n "__fish_qwen_using_subcommand completions" -s q -l quiet -d 'Print no notes, retries or warnings on stderr (errors still print)'
complete -c qwen -n "__fish_qwen_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c qwen -n "__fish_qwen_using_subcommand help; and not __fish_seen_subcommand_from chat completions help" -f -a "chat" -d 'Send a prompt to a chat model and stream the reply'
complete -c qwen -n "__fish_qwen_using_subcommand help; and not __fish_seen_subcommand_from chat completions help" -f -a "completions" -d 'Print a shell completion script to stdout'
complete -c qwen -n "__fish_qwen_using_subcommand help; and not __fish_seen_subcommand_from chat completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
