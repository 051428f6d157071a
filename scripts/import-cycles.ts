/**
 * The import-cycle rule of `npm run lint`: reads every `src/**\/*.ts` file's imports (static,
 * type-only, re-exports and dynamic `import()` alike, with TypeScript's own pre-processor) and
 * fails when the graph of files, or the graph of folders (src/auth, src/registry, … with each file
 * directly under src/ a node of its own), has a cycle. Prints each cycle as `a → b → a`, then the
 * counts; exit code 1 when there is any.
 *   npx tsx scripts/import-cycles.ts [--root src]
 */
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import ts from 'typescript'

/** Every `.ts` file under `dir` (declaration files left out), as paths relative to the cwd. */
export function sourceFiles(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path))
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path)
  }
  return out
}

/** The files of `files` that `file` imports (relative specifiers; `.js` read as `.ts`). */
export function importsOf(file: string, files: Set<string>): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true)
  const out = new Set<string>()
  for (const { fileName } of info.importedFiles) {
    if (!fileName.startsWith('.')) continue
    const base = resolve(dirname(file), fileName)
    for (const candidate of [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')]) {
      const rel = relative(process.cwd(), candidate)
      if (files.has(rel)) {
        out.add(rel)
        break
      }
    }
  }
  return [...out].sort()
}

/** The folder node of a file: `src/registry` for src/registry/http.ts, the file itself when at the root. */
export function folderOf(file: string, root: string): string {
  const parts = relative(root, file).split(sep)
  return parts.length > 1 ? join(root, parts[0]) : file
}

/**
 * The cycles of a directed graph: one per strongly connected component of more than one node (or
 * a node importing itself), written as the shortest path from its first node back to it.
 */
export function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const components: string[][] = []
  let next = 0
  const visit = (v: string): void => {
    index.set(v, next)
    low.set(v, next++)
    stack.push(v)
    onStack.add(v)
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!))
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = []
      let w: string
      do {
        w = stack.pop()!
        onStack.delete(w)
        component.push(w)
      } while (w !== v)
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) components.push(component.sort())
    }
  }
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v)
  return components.map(c => shortestLoop(graph, c)).sort((a, b) => (a[0] < b[0] ? -1 : 1))
}

/** The shortest path from the component's first node back to it, inside the component. */
function shortestLoop(graph: Map<string, string[]>, component: string[]): string[] {
  const inside = new Set(component)
  const start = component[0]
  const from = new Map<string, string>()
  const queue = [start]
  while (queue.length) {
    const v = queue.shift()!
    for (const w of graph.get(v) ?? []) {
      if (!inside.has(w)) continue
      if (w === start) {
        const path = [v]
        while (path[0] !== start) path.unshift(from.get(path[0])!)
        return [...path, start]
      }
      if (!from.has(w)) {
        from.set(w, v)
        queue.push(w)
      }
    }
  }
  return [start, start]
}

function main(): void {
  const at = process.argv.indexOf('--root')
  const root = relative(process.cwd(), resolve(at > 0 ? process.argv[at + 1] : 'src'))
  const list = sourceFiles(root)
  const files = new Set(list)
  const fileGraph = new Map(list.map(f => [f, importsOf(f, files)]))
  const folderGraph = new Map<string, string[]>()
  for (const [f, deps] of fileGraph) {
    const a = folderOf(f, root)
    const set = new Set(folderGraph.get(a) ?? [])
    for (const d of deps) if (folderOf(d, root) !== a) set.add(folderOf(d, root))
    folderGraph.set(a, [...set].sort())
  }
  const fileCycles = cycles(fileGraph)
  const folderCycles = cycles(folderGraph)
  for (const c of fileCycles) console.log(`file cycle: ${c.join(' → ')}`)
  for (const c of folderCycles) console.log(`folder cycle: ${c.join(' → ')}`)
  console.log(
    `import cycles: ${fileCycles.length} between files (${list.length} files), ${folderCycles.length} between folders (${folderGraph.size} nodes)`
  )
  if (fileCycles.length || folderCycles.length) process.exitCode = 1
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename ?? '')) main()
