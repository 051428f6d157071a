#!/usr/bin/env node
import { createRequire as __promoteImageCreateRequire } from 'node:module'; const require = __promoteImageCreateRequire(import.meta.url);
import {
  COMMANDS,
  commandOptions
} from "./chunk-2NLWOLMW.js";
import {
  OPTIONS
} from "./chunk-BLPB5NN7.js";
import "./chunk-A46IPO6H.js";
import "./chunk-N2RL2OJD.js";
import "./chunk-A3CPNU7I.js";
import "./chunk-BHHRLL7Q.js";
import "./chunk-G7S46Y2P.js";
import "./chunk-VIETK5Q5.js";
import "./chunk-XYMN7WUU.js";

// src/cli/completion.ts
function spellings(o) {
  return [`--${o.flag}`, ...o.short ? [`-${o.short}`] : []];
}
var fileFlags = () => OPTIONS.filter((o) => o.flag && o.value === "FILE").flatMap(spellings);
var valueFlags = () => OPTIONS.filter((o) => o.flag && o.value).flatMap(spellings);
var globalFlags = () => OPTIONS.filter((o) => o.flag && COMMANDS.every((c) => commandOptions(c).includes(o))).flatMap(spellings);
function bashCompletion() {
  const perCommand = COMMANDS.map((c) => {
    const opts = commandOptions(c).flatMap(spellings).join(" ");
    if (c.args === "command")
      return `    ${c.name}) [[ $cur == -* ]] || { COMPREPLY=($(compgen -W "${COMMANDS.map((x) => x.name).join(" ")}" -- "$cur")); return; }; opts="${opts}" ;;`;
    if (c.args === "shell")
      return `    ${c.name}) [[ $cur == -* ]] || { COMPREPLY=($(compgen -W "bash zsh" -- "$cur")); return; }; opts="${opts}" ;;`;
    return `    ${c.name}) opts="${opts}" ;;`;
  });
  return [
    "# bash completion for promote-image, generated from its options schema by",
    "#   promote-image completion bash",
    "# load it with: source <(promote-image completion bash)",
    "_promote_image() {",
    "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} cmd= opts= i",
    "  for ((i = 1; i < COMP_CWORD; i++)); do",
    "    case ${COMP_WORDS[i]} in",
    `      ${valueFlags().join("|")}) ((i++)) ;;`,
    "      -*) ;;",
    "      *) cmd=${COMP_WORDS[i]}; break ;;",
    "    esac",
    "  done",
    "  case $prev in",
    `    ${fileFlags().join("|")}) COMPREPLY=($(compgen -f -- "$cur")); return ;;`,
    `    ${valueFlags().filter((f) => !fileFlags().includes(f)).join("|")}) COMPREPLY=(); return ;;`,
    "  esac",
    "  if [[ -z $cmd ]]; then",
    `    COMPREPLY=($(compgen -W "${[...COMMANDS.map((c) => c.name), ...globalFlags()].join(" ")}" -- "$cur"))`,
    "    return",
    "  fi",
    "  case $cmd in",
    ...perCommand,
    "    *) return ;;",
    "  esac",
    '  [[ $cur == -* ]] && COMPREPLY=($(compgen -W "$opts" -- "$cur"))',
    "  return 0",
    "}",
    "complete -F _promote_image promote-image",
    ""
  ].join("\n");
}
function zshText(text) {
  return text.replace(/[[\]:\\]/g, (c) => `\\${c}`).replace(/'/g, `'\\''`);
}
function zshSpecs(o) {
  const help = zshText(o.help[0].replace(/[.;,]\s*$/, ""));
  const repeat = o.repeatable ? "*" : "";
  const value = o.value ? `:${zshText(o.value)}:${o.value === "FILE" ? "_files" : ""}` : "";
  return spellings(o).map((s) => {
    const take = o.value ? s.startsWith("--") ? "=" : "+" : "";
    return `'${repeat}${s}${take}[${help}]${value}'`;
  });
}
function zshArgument(c) {
  if (c.args === "command") return "'1:command:_promote_image_commands'";
  if (c.args === "shell") return "'1:shell:(bash zsh)'";
  if (c.args === "none") return "";
  return `'*:${c.args}:'`;
}
function zshCompletion() {
  const described = COMMANDS.map((c) => `    '${c.name}:${c.summary.replace(/'/g, `'\\''`)}'`);
  const perCommand = COMMANDS.flatMap((c) => {
    const specs = [...commandOptions(c).flatMap(zshSpecs), zshArgument(c)].filter(Boolean);
    return [
      `    ${c.name})`,
      `      _arguments -s \\`,
      ...specs.map((s, i) => `        ${s}${i < specs.length - 1 ? " \\" : ""}`),
      "      ;;"
    ];
  });
  return [
    "#compdef promote-image",
    "# zsh completion for promote-image, generated from its options schema by",
    "#   promote-image completion zsh",
    "_promote_image_commands() {",
    "  local -a commands",
    "  commands=(",
    ...described,
    "  )",
    "  _describe -t commands 'promote-image command' commands",
    "}",
    "_promote_image() {",
    "  if (( CURRENT == 2 )); then",
    "    _promote_image_commands",
    "    return",
    "  fi",
    "  local cmd=${words[2]}",
    "  shift words",
    "  (( CURRENT-- ))",
    "  case $cmd in",
    ...perCommand,
    "  esac",
    "}",
    "if [[ $funcstack[1] == _promote-image ]]; then",
    '  _promote_image "$@"',
    "else",
    "  compdef _promote_image promote-image",
    "fi",
    ""
  ].join("\n");
}
function runCompletion(cmd, io) {
  io.out(cmd.shell === "bash" ? bashCompletion() : zshCompletion());
  return 0;
}
export {
  bashCompletion,
  runCompletion,
  zshCompletion
};
