/**
 * How a bad action input is worded, one owner for every layer that finds one (inputs.ts InputError,
 * the build's BuildInputError, build/ being below the edge and importing nothing of it). Pure.
 */

/**
 * The one wording of a bad action input, whatever layer finds it (inputs.ts InputError, the build's
 * BuildInputError): `input "labels": "novalue" is not KEY=VALUE`.
 * @param input the input's name as in action.yml
 * @param rule what is wrong and the rule, in words
 */
export function inputFault(input: string, rule: string): string {
  return `input "${input}": ${rule}`
}
