/**
 * The published bin (bundled alone as CommonJS, dist/cli.cjs, by scripts/bundle.mjs: node enters a
 * CommonJS file without starting its ES-module loader, which an ES-module bin pays for at every run,
 * ~15 ms of CPU for an empty file on Node 20): loads the Node built-ins
 * the command will need while Node's code cache still serves them, sets the process's V8 flags, turns on Node's compile cache where Node has one, then runs the CLI's program
 * (dist/cli/program.cjs, src/cli/run.ts bundled as one CommonJS file) through code-cache.ts, which
 * compiles it with the V8 code cache of the same command, and saves one at the exit of a run that
 * succeeded when there was none. Loads nothing else: the program is where every command lives.
 */
import { homedir } from 'node:os'
import { join } from 'node:path'
import { enableCompileCache } from './compile-cache.js'
import { commandKey, loadProgram, programRequire } from './code-cache.js'
import { loadBuiltinsFirst, tuneV8 } from './v8-flags.js'

/** What the program exports (src/cli/run.ts). */
interface Program {
  runProcess(argv: string[]): void
}

const argv = process.argv.slice(2)
const command = commandKey(argv)
// Node's own code cache serves its built-ins only before any V8 flag is set
loadBuiltinsFirst(command)
// before the program is compiled: the flags are part of what its code cache is checked against
tuneV8(undefined, command)
enableCompileCache(process.env)
// __dirname and require: this file is only ever run bundled as CommonJS, beside dist/cli/
const path = join(__dirname, 'cli/program.cjs')
const program = loadProgram<Program>(path, {
  env: process.env,
  home: homedir(),
  argv,
  require: programRequire(path, require)
})
// a run that failed stopped early: its cache would hold a fraction of the command (code-cache.ts)
process.once('exit', status => void (status === 0 && program.save()))
program.exports.runProcess(argv)
