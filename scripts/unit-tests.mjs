/**
 * The tests `npm run test:unit` runs: every `__tests__/**\/*.test.ts` whose imports (followed
 * through __tests__/ and its helpers) never reach a helper that starts a service — a real
 * registry (helpers/registry.ts: docker-registry), a BuildKit daemon (helpers/dockerd.ts) — and
 * that names no external program (docker, chromium). Loopback stand-ins started in the test
 * process itself (node:http servers) are not services. Used by jest.unit.config.js; run alone it
 * prints the list and the counts.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

/** Helpers that start a service: a test reaching one of them is an integration test. */
export const SERVICE_HELPERS = ['__tests__/helpers/registry.ts', '__tests__/helpers/dockerd.ts']
/** Words in a test's own text that name an external program it runs. */
const PROGRAMS = /\b(chromium|playwright-core|spawn\('docker'|execFile\('docker'|'docker', \[)/

function walk(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap(name => {
      const path = join(dir, name)
      return statSync(path).isDirectory() ? walk(path) : [path]
    })
}

/** Relative imports of a file under __tests__ that stay under __tests__ (`.js` read as `.ts`). */
function testImports(file) {
  const text = readFileSync(file, 'utf8')
  const out = []
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const path = relative(process.cwd(), resolve(dirname(file), m[1])).replace(/\.js$/, '.ts')
    if (path.startsWith('__tests__')) out.push(path)
  }
  return out
}

/** True when `file` reaches a service helper through its imports. */
function reachesService(file, seen = new Set()) {
  if (SERVICE_HELPERS.includes(file)) return true
  if (seen.has(file)) return false
  seen.add(file)
  let imports
  try {
    imports = testImports(file)
  } catch {
    return false
  }
  return imports.some(f => reachesService(f, seen))
}

/** The unit tests (paths relative to the cwd) and the rest. */
export function selectTests(root = '__tests__') {
  const tests = walk(root).filter(f => f.endsWith('.test.ts'))
  const unit = tests.filter(f => !reachesService(f) && !PROGRAMS.test(readFileSync(f, 'utf8')))
  return { unit, services: tests.filter(f => !unit.includes(f)) }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const { unit, services } = selectTests()
  for (const f of unit) console.log(f)
  console.log(`${unit.length} unit test files; ${services.length} need services`)
}
