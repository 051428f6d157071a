/**
 * The promote-image command line, on the same engine as the action:
 *   promote-image copy SRC DST [DST...]      copy by digest (all platforms), then tag each DST
 *   promote-image promote SRC DST [DST...]   the same, with --dry-run for a JSON plan
 *   promote-image promote -f FILE            every image of a promotion file (--shard K/N: one shard)
 *   promote-image plan -f FILE --shards N    the shard matrix of a promotion file (one JSON line)
 *   promote-image inspect REF                digest, media type, platforms, size
 *   promote-image tags [--image REPO]...     tags from the git context and tag rules
 *   promote-image digest|manifest|config REF the digest, the manifest's bytes, the config blob
 *   promote-image ls REPOSITORY              the tags of a repository
 *   promote-image merge --to REF SOURCE...   platform images merged into one index at REF
 *   promote-image verify [--verify-key FILE …] REF  the gate's checks and the promotion records
 *   promote-image help [COMMAND]             the usage, or one command's (as COMMAND --help)
 *   promote-image completion bash|zsh        a shell completion script (cli/commands.ts, options.ts)
 * Exit status: 0 success, 1 failure, 2 usage error (bad arguments or references; nothing sent),
 * 130 / 143 when SIGINT / SIGTERM interrupted a copy or a promotion file (its upload sessions
 * cancelled, no tag moved; promote -f starts no further image and names each interrupted one;
 * a second signal ends the process at once), or a command that reads registries (its requests
 * and a docker credential helper being asked stopped).
 * argv is parsed by src/cli/args.ts; each command has its handler in src/cli/, dispatched by
 * src/cli/run.ts, which keeps heavy modules (@actions/*, the tag engine) out of its load path so it
 * starts fast. This file is the entry when run from source (`node --import tsx src/cli.ts`); the
 * published bin, dist/cli.cjs, is src/cli/boot.ts, which runs the same run.ts from a bundle it
 * compiles with a V8 code cache (src/cli/code-cache.ts).
 */
import { commandKey } from './cli/code-cache.js'
import { enableCompileCache } from './cli/compile-cache.js'
import { runProcess } from './cli/run.js'
import { tuneV8 } from './cli/v8-flags.js'

export { main, runProcess } from './cli/run.js'
export { tuneV8 } from './cli/v8-flags.js'

const isEntry = process.argv[1] && /cli\.(?:js|ts)$/.test(process.argv[1])
if (isEntry) {
  tuneV8(undefined, commandKey(process.argv.slice(2)))
  enableCompileCache(process.env)
  runProcess(process.argv.slice(2))
}
