"""Shell completion scripts for bash and zsh, written from the command line's own argparse parser.

The scripts list every command, option and choice the parser has, so that they cannot fall behind
it; options that take a file complete file names, and catalog paths complete files and folders.
No dependency: the parser is read as argparse builds it.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Mapping, Sequence

import attrs

__all__ = ["SHELLS", "completion_script"]

SHELLS = ("bash", "zsh")

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.+-]*")
_FILE_METAVARS = frozenset(("FILE", "PATH", "DIR"))


@attrs.frozen(slots=True)
class _Option:
    names: tuple[str, ...]
    help: str
    takes_value: bool
    values: tuple[str, ...]  # the words to offer for its value; none: any text
    files: bool  # its value is a file name


@attrs.frozen(slots=True)
class _Positional:
    name: str
    values: tuple[str, ...]
    files: bool
    many: bool


@attrs.frozen(slots=True)
class _Command:
    name: str
    help: str
    options: tuple[_Option, ...]
    positionals: tuple[_Positional, ...]


def _help(action: argparse.Action) -> str:
    text = action.help if isinstance(action.help, str) and action.help != argparse.SUPPRESS else ""
    return " ".join(text.replace("%%", "%").split())


def _words(values: object) -> tuple[str, ...]:
    words = tuple(str(v) for v in values) if isinstance(values, Sequence | Mapping) else ()
    for word in words:  # the scripts put them unquoted in word lists: a bug in the parser otherwise
        if not _WORD.fullmatch(word):
            raise ValueError(f"cannot offer {word!r} for completion")
    return words


def _command(
    name: str, help_text: str, parser: argparse.ArgumentParser, values: Mapping[str, Sequence[str]]
) -> _Command:
    options, positionals = [], []
    for action in parser._actions:
        metavar = action.metavar if isinstance(action.metavar, str) else ""
        choices = _words(action.choices) if action.choices is not None else ()
        if action.option_strings:
            offered = choices or next((_words(values[o]) for o in action.option_strings if o in values), ())
            takes_value = action.nargs != 0
            files = takes_value and metavar in _FILE_METAVARS
            options.append(_Option(tuple(action.option_strings), _help(action), takes_value, offered, files))
        else:
            many = action.nargs in ("*", "+")
            positionals.append(_Positional(metavar or action.dest, choices, metavar in _FILE_METAVARS, many))
    return _Command(name, help_text, tuple(options), tuple(positionals))


def _commands(parser: argparse.ArgumentParser, values: Mapping[str, Sequence[str]]) -> list[_Command]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: _help(choice) for choice in action._choices_actions}
            for name, sub in action.choices.items():
                found.append(_command(name, helps.get(name, ""), sub, values))
    return found


def completion_script(
    parser: argparse.ArgumentParser, shell: str, values: Mapping[str, Sequence[str]] | None = None
) -> str:
    """The completion script of ``parser`` for ``shell`` (one of :data:`SHELLS`); ``values`` gives
    words to offer for options that take any text (``{"--format": ("csv", "json")}``)."""
    top = _command(parser.prog, "", parser, values or {})
    commands = _commands(parser, values or {})
    if shell == "bash":
        return _bash(parser.prog, top, commands)
    if shell == "zsh":
        return _zsh(parser.prog, top, commands)
    raise ValueError(f"no completion for {shell!r}; use one of: {', '.join(SHELLS)}")


# ---------------------------------------------------------------------------------------------
# bash


def _bash_command(command: _Command) -> list[str]:
    lines = [f"        {command.name})", '            case "$prev" in']
    for option in command.options:
        if not option.takes_value:
            continue
        names = "|".join(option.names)
        if option.values:
            lines.append(f'                {names}) _{{fn}}_words "{" ".join(option.values)}"; return ;;')
        elif option.files:
            lines.append(f"                {names}) _{{fn}}_files; return ;;")
        else:
            lines.append(f"                {names}) COMPREPLY=(); return ;;")
    lines.append("            esac")
    flags = " ".join(name for option in command.options for name in option.names)
    choices = next((p.values for p in command.positionals if p.values), ())
    lines += [
        '            if [[ "$cur" == -* ]]; then',
        f'                _{{fn}}_words "{flags}"',
    ]
    if choices:
        lines += ["            else", f'                _{{fn}}_words "{" ".join(choices)}"']
    elif command.positionals:
        lines += ["            else", "                _{fn}_files"]
    lines += ["            fi", "            ;;"]
    return lines


def _bash(prog: str, top: _Command, commands: list[_Command]) -> str:
    fn = re.sub(r"\W", "_", prog)
    top_flags = " ".join(name for option in top.options for name in option.names)
    body = [line for command in commands for line in _bash_command(command)]
    script = [
        f"# bash completion for {prog}. Load it with, in ~/.bashrc:",
        f'#   eval "$({prog} completion bash)"',
        f"# or save it as ~/.local/share/bash-completion/completions/{prog}",
        "",
        "_{fn}_words() {",
        '    COMPREPLY=($(compgen -W "$1" -- "$cur"))',
        "}",
        "",
        "_{fn}_files() {",
        "    local IFS=$'\\n'",
        '    COMPREPLY=($(compgen -f -- "$cur"))',
        "}",
        "",
        "_{fn}() {",
        '    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" command="" i',
        "    for ((i = 1; i < COMP_CWORD; i++)); do",
        '        case "${COMP_WORDS[i]}" in',
        "            -*) ;;",
        '            *) command="${COMP_WORDS[i]}"; break ;;',
        "        esac",
        "    done",
        '    case "$command" in',
        '        "")',
        '            if [[ "$cur" == -* ]]; then',
        f'                _{{fn}}_words "{top_flags}"',
        "            else",
        f'                _{{fn}}_words "{" ".join(c.name for c in commands)}"',
        "            fi",
        "            ;;",
        *body,
        "    esac",
        "}",
        "",
        f"complete -o filenames -F _{{fn}} {prog}",
    ]
    return "\n".join(line.replace("{fn}", fn) for line in script) + "\n"


# ---------------------------------------------------------------------------------------------
# zsh


def _zsh_quoted(text: str) -> str:
    """Text inside single quotes: a quote closes them, is escaped, and opens them again."""
    return text.replace("'", "'\\''")


def _zsh_text(text: str) -> str:
    """Text for the [help] of a single-quoted _arguments spec: backslashes, brackets and colons escaped."""
    return _zsh_quoted(text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]").replace(":", "\\:"))


def _zsh_action(values: tuple[str, ...], files: bool) -> str:
    if values:
        return f"({' '.join(values)})"
    return "_files" if files else " "


def _zsh_specs(command: _Command, alone: bool = False) -> list[str]:
    """The _arguments specs of a command; ``alone``: each option ends the command line (--version)."""
    specs = []
    for option in command.options:
        help_text = _zsh_text(option.help)
        value = ""
        if option.takes_value:
            message = option.names[-1].lstrip("-")
            value = f":{message}:{_zsh_action(option.values, option.files)}"
        excluded = ["- *"] if alone else []
        if len(option.names) > 1:
            exclusive = f"({' '.join([*excluded, *option.names])})"
            specs.append(f"'{exclusive}'{{{','.join(option.names)}}}'[{help_text}]{value}'")
        else:
            exclusive = f"({excluded[0]})" if alone else ""
            specs.append(f"'{exclusive}{option.names[0]}[{help_text}]{value}'")
    number = 0
    for positional in command.positionals:
        action = _zsh_action(positional.values, positional.files or positional.many)
        if positional.many:
            specs.append(f"'*:{positional.name.lower()}:{action}'")
        else:
            number += 1
            specs.append(f"'{number}:{positional.name.lower()}:{action}'")
    return specs


def _zsh(prog: str, top: _Command, commands: list[_Command]) -> str:
    fn = re.sub(r"\W", "_", prog)
    described = [f"        '{c.name}:{_zsh_quoted(c.help)}'" for c in commands]
    branches = []
    for command in commands:
        specs = " \\\n                        ".join(_zsh_specs(command))
        branches += [
            f"                {command.name})",
            f"                    _arguments {specs}",
            "                    ;;",
        ]
    top_specs = _zsh_specs(attrs.evolve(top, positionals=()), alone=True)
    script = [
        f"#compdef {prog}",
        f"# zsh completion for {prog}. Save it as _{prog} in a folder of $fpath (before compinit runs), or",
        f"# load it in ~/.zshrc, after compinit, with: source <({prog} completion zsh)",
        "",
        f"_{fn}() {{",
        '    local curcontext="$curcontext" state line',
        "    typeset -A opt_args",
        "    local -a commands",
        "    commands=(",
        *described,
        "    )",
        "    _arguments -C \\",
        *(f"        {spec} \\" for spec in top_specs),
        "        '1:command:->command' \\",
        "        '*::argument:->argument'",
        "    case $state in",
        "        command)",
        f"            _describe -t commands '{prog} command' commands",
        "            ;;",
        "        argument)",
        "            case $line[1] in",
        *branches,
        "            esac",
        "            ;;",
        "    esac",
        "}",
        "",
        "if [[ $zsh_eval_context[-1] == loadautofunc ]]; then",
        f'    _{fn} "$@"',
        "else",
        f"    compdef _{fn} {prog}",
        "fi",
    ]
    return "\n".join(script) + "\n"
