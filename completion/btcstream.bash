# bash completion for btcstream. `make install` puts it where bash-completion finds it
# (PREFIX/share/bash-completion/completions/btcstream); to try it in a shell: source this file.
#
# Commands and each command's options are read from `btcstream --help` and
# `btcstream COMMAND --help` on first use, so the completion follows the program it completes.
# It needs nothing from the bash-completion package.

_btcstream_commands() {
    "$1" --help 2>/dev/null | awk '/^Commands:/ { on = 1; next } /^$/ { on = 0 } on && /^  [a-z]/ { print $1 }'
}

_btcstream_options() {
    "$1" "$2" --help 2>/dev/null | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u
}

_btcstream() {
    local prog=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]} prev=""
    [ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD - 1]}
    COMPREPLY=()
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "$(_btcstream_commands "$prog") --help --version" -- "$cur"))
        return
    fi
    local cmd=${COMP_WORDS[1]}
    case $prev in
    --source)
        COMPREPLY=($(compgen -W "coingecko sim replay: binance: coinbase: kraken:" -- "$cur"))
        [[ $cur == replay:* ]] && COMPREPLY=($(compgen -f -P replay: -- "${cur#replay:}"))
        compopt -o nospace 2>/dev/null
        return ;;
    --table) COMPREPLY=($(compgen -W "hour_of_day hourly daily moving_avg" -- "$cur")); return ;;
    --mode) COMPREPLY=($(compgen -W "forecast seed" -- "$cur")); return ;;
    --refit) COMPREPLY=($(compgen -W "warm full" -- "$cur")); return ;;
    --format)
        local formats="table csv json parquet"
        [ "$cmd" = train ] && formats="text json"
        [ "$cmd" = markets ] && formats="table csv json"
        [ "$cmd" = export ] && formats="csv json parquet"
        COMPREPLY=($(compgen -W "$formats" -- "$cur")); return ;;
    --market)
        local markets
        markets=$("$prog" markets --format csv 2>/dev/null | awk -F, 'NR > 1 && $1 != "total" && $1 != "(no market)" { print $1 }')
        COMPREPLY=($(compgen -W "$markets" -- "$cur")); return ;;
    --input | --history | --model | --predictions | --out)
        COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --data-dir | --out-dir | --stream-dir | --stream-root | --stage | --raw)
        COMPREPLY=($(compgen -d -- "$cur")); return ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_btcstream_options "$prog" "$cmd") --help" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}

complete -F _btcstream btcstream
