/**
 * `promote-image completion bash|zsh`: a shell completion script generated from the commands table
 * (cli/commands.ts) and the options schema (options.ts): command names, each command's own flags,
 * file names after a flag whose value is a FILE (or FILE-like: `HOST=FILE` is left alone), the
 * words of a flag whose value is one of a few (the schema's `choices`: `--tag-policy`,
 * `--upload-mode`, `--referrers`), the commands after `help`, the shells after `completion`.
 * Pure but for the write.
 */
import { OPTIONS, type OptionSpec } from '../options.js'
import type { CompletionCommand } from './args.js'
import { COMMANDS, commandOptions, type CommandSpec } from './commands.js'
import type { Io } from './io.js'

/** Every way a flag is typed (`--file`, `-f`). */
function spellings(o: OptionSpec): string[] {
  return [`--${o.flag}`, ...(o.short ? [`-${o.short}`] : [])]
}

/** The flags whose value is a file name. */
const fileFlags = (): string[] => OPTIONS.filter(o => o.flag && o.value === 'FILE').flatMap(spellings)

/** The flags whose value is one of a few words (`--tag-policy immutable|overwrite`). */
const choiceOptions = (): OptionSpec[] => OPTIONS.filter(o => o.flag && o.value && o.choices?.length)

/** The flags that take a value (the next word is that value, not the command). */
const valueFlags = (): string[] => OPTIONS.filter(o => o.flag && o.value).flatMap(spellings)

/** The global flags: those every command takes. */
const globalFlags = (): string[] =>
  OPTIONS.filter(o => o.flag && COMMANDS.every(c => commandOptions(c).includes(o))).flatMap(spellings)

/** The bash completion script (bash 4+, bash-completion not needed). */
export function bashCompletion(): string {
  const perCommand = COMMANDS.map(c => {
    const opts = commandOptions(c).flatMap(spellings).join(' ')
    if (c.args === 'command')
      return `    ${c.name}) [[ $cur == -* ]] || { COMPREPLY=($(compgen -W "${COMMANDS.map(x => x.name).join(' ')}" -- "$cur")); return; }; opts="${opts}" ;;`
    if (c.args === 'shell')
      return `    ${c.name}) [[ $cur == -* ]] || { COMPREPLY=($(compgen -W "bash zsh" -- "$cur")); return; }; opts="${opts}" ;;`
    return `    ${c.name}) opts="${opts}" ;;`
  })
  return [
    '# bash completion for promote-image, generated from its options schema by',
    '#   promote-image completion bash',
    '# load it with: source <(promote-image completion bash)',
    '_promote_image() {',
    '  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} cmd= opts= i',
    '  for ((i = 1; i < COMP_CWORD; i++)); do',
    '    case ${COMP_WORDS[i]} in',
    `      ${valueFlags().join('|')}) ((i++)) ;;`,
    '      -*) ;;',
    '      *) cmd=${COMP_WORDS[i]}; break ;;',
    '    esac',
    '  done',
    '  case $prev in',
    `    ${fileFlags().join('|')}) COMPREPLY=($(compgen -f -- "$cur")); return ;;`,
    ...choiceOptions().map(
      o =>
        `    ${spellings(o).join('|')}) COMPREPLY=($(compgen -W "${o.choices!.join(' ')}" -- "$cur")); return ;;`
    ),
    `    ${valueFlags()
      .filter(f => !fileFlags().includes(f) && !choiceOptions().flatMap(spellings).includes(f))
      .join('|')}) COMPREPLY=(); return ;;`,
    '  esac',
    '  if [[ -z $cmd ]]; then',
    `    COMPREPLY=($(compgen -W "${[...COMMANDS.map(c => c.name), ...globalFlags()].join(' ')}" -- "$cur"))`,
    '    return',
    '  fi',
    '  case $cmd in',
    ...perCommand,
    '    *) return ;;',
    '  esac',
    '  [[ $cur == -* ]] && COMPREPLY=($(compgen -W "$opts" -- "$cur"))',
    '  return 0',
    '}',
    'complete -F _promote_image promote-image',
    ''
  ].join('\n')
}

/** Text inside a zsh single-quoted `_arguments` spec: quotes closed and reopened; `[]:` escaped. */
function zshText(text: string): string {
  return text.replace(/[[\]:\\]/g, c => `\\${c}`).replace(/'/g, `'\\''`)
}

/** One `_arguments` spec per spelling of `o`: `'*--moving-tag=[help]:TAG:'`. */
function zshSpecs(o: OptionSpec): string[] {
  const help = zshText(o.help[0].replace(/[.;,]\s*$/, ''))
  const repeat = o.repeatable ? '*' : ''
  const action = o.value === 'FILE' ? '_files' : o.choices?.length ? `(${o.choices.join(' ')})` : ''
  const value = o.value ? `:${zshText(o.value)}:${action}` : ''
  return spellings(o).map(s => {
    const take = o.value ? (s.startsWith('--') ? '=' : '+') : ''
    return `'${repeat}${s}${take}[${help}]${value}'`
  })
}

/** The positional argument spec of a command. */
function zshArgument(c: CommandSpec): string {
  if (c.args === 'command') return "'1:command:_promote_image_commands'"
  if (c.args === 'shell') return "'1:shell:(bash zsh)'"
  if (c.args === 'none') return ''
  return `'*:${c.args}:'`
}

/** The zsh completion script (`#compdef`: put it in a directory of $fpath as `_promote-image`). */
export function zshCompletion(): string {
  const described = COMMANDS.map(c => `    '${c.name}:${c.summary.replace(/'/g, `'\\''`)}'`)
  const perCommand = COMMANDS.flatMap(c => {
    const specs = [...commandOptions(c).flatMap(zshSpecs), zshArgument(c)].filter(Boolean)
    return [
      `    ${c.name})`,
      `      _arguments -s \\`,
      ...specs.map((s, i) => `        ${s}${i < specs.length - 1 ? ' \\' : ''}`),
      '      ;;'
    ]
  })
  return [
    '#compdef promote-image',
    '# zsh completion for promote-image, generated from its options schema by',
    '#   promote-image completion zsh',
    '_promote_image_commands() {',
    '  local -a commands',
    '  commands=(',
    ...described,
    '  )',
    "  _describe -t commands 'promote-image command' commands",
    '}',
    '_promote_image() {',
    '  if (( CURRENT == 2 )); then',
    '    _promote_image_commands',
    '    return',
    '  fi',
    '  local cmd=${words[2]}',
    '  shift words',
    '  (( CURRENT-- ))',
    '  case $cmd in',
    ...perCommand,
    '  esac',
    '}',
    'if [[ $funcstack[1] == _promote-image ]]; then',
    '  _promote_image "$@"',
    'else',
    '  compdef _promote_image promote-image',
    'fi',
    ''
  ].join('\n')
}

/** Prints the script for `cmd.shell` on stdout; exit status 0. */
export function runCompletion(cmd: CompletionCommand, io: Io): number {
  io.out(cmd.shell === 'bash' ? bashCompletion() : zshCompletion())
  return 0
}
