/**
 * How a key option's value is read (proof/load.ts readKey): `env://NAME` names an environment
 * variable, text starting with `-----BEGIN` is the PEM itself, anything else is a file path. One
 * owner of the rule for the option checks (options.ts), a promotion file's relative paths
 * (engine-options.ts) and a policy file's keys (proof/load.ts). A leaf: importing it loads no
 * Sigstore code.
 */

/** Whether `value` is a PEM given inline (`-----BEGIN …`, leading whitespace allowed). */
export function isInlinePem(value: string): boolean {
  return value.trimStart().startsWith('-----BEGIN')
}

/** Whether a key option's `value` names no file: `env://NAME` or a PEM given inline. */
export function notAFile(value: string): boolean {
  return value.startsWith('env://') || isInlinePem(value)
}
