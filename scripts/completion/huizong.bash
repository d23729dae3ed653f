# bash completion for huizong. The commands and each command's options are
# read from the program's own help (`huizong --lang en help`,
# `huizong --lang en CMD --help`), so they cannot go out of date.
_huizong()
{
    local cur prev words cword
    _init_completion || return
    local prog=${words[0]} i command=
    local common="--config --lang --quiet --help --version"
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
        --config | --lang) ((i++)) ;;
        -*) ;;
        *) command=${words[i]}; break ;;
        esac
    done
    case $prev in
    --lang) COMPREPLY=($(compgen -W "zh en" -- "$cur")); return ;;
    --round) COMPREPLY=($(compgen -W "stage annual" -- "$cur")); return ;;
    --format) COMPREPLY=($(compgen -W "text json" -- "$cur")); return ;;
    --config | --output | -o | --stage | --previous | --data) _filedir -d; return ;;
    esac
    if [[ -z $command ]]; then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "$common" -- "$cur"))
        else
            local commands
            commands=$("$prog" --lang en help 2>/dev/null |
                       awk '/^commands:/ { on = 1; next } on && /^$/ { exit } on { print $1 }')
            COMPREPLY=($(compgen -W "$commands" -- "$cur"))
        fi
        return
    fi
    if [[ $cur == -* ]]; then
        local options
        options=$("$prog" --lang en "$command" --help 2>/dev/null |
                  grep -oE '(^|[[:space:],])--[a-z][a-z-]*' | tr -d ' ,' | sort -u)
        COMPREPLY=($(compgen -W "$options --quiet" -- "$cur"))
        return
    fi
    _filedir '@(xlsx|ods|json|md)'
}
complete -F _huizong huizong
