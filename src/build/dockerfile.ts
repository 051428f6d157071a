/**
 * What a Dockerfile says about its stages, read as BuildKit's dockerfile frontend reads it (pure):
 * parser directives at the top (`# escape=`, `# syntax=`), line continuations (the escape character
 * at a line's end), comments, heredocs (`RUN <<EOF … EOF`), and `FROM [--flag…] IMAGE [AS NAME]`.
 * Used to check the `target` input before a build (newuser6 #8), so docker's `failed to create LLB
 * definition: target stage X could not be found` under its progress lines becomes one line naming
 * the input and the stages there are.
 */

/** The stages of a Dockerfile, and whether a target can be checked against them. */
export interface DockerfileStages {
  /** the names given with `FROM … AS NAME`, in order, as written */
  stages: string[]
  /**
   * false when the names cannot be known from the text: a `# syntax=` directive naming a frontend
   * other than docker/dockerfile (it parses its own language), a name built from a variable
   * (`AS ${NAME}`), a heredoc that never ends, or no `FROM` at all (not a Dockerfile this reader
   * understands)
   */
  checkable: boolean
}

/** `# directive=value` at the top of the file (BuildKit: before any other line, comment or instruction). */
const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/

/** A heredoc's start in an instruction: `<<EOF`, `<<-EOF`, `<<"EOF"`, `<<'EOF'`; group 1 `-`, group 2 the word. */
const HEREDOC = /<<(-?)\s*["']?([A-Za-z_][A-Za-z0-9_]*)["']?/g

/**
 * The stage names of Dockerfile `text`.
 * @returns {@link DockerfileStages}; never throws (a text it cannot read is not checkable)
 */
export function dockerfileStages(text: string): DockerfileStages {
  const lines = text.split(/\r?\n/)
  let escape = '\\'
  let frontend: string | undefined
  let i = 0
  // parser directives: only at the very top, each at most once
  for (; i < lines.length; i++) {
    const m = DIRECTIVE.exec(lines[i]!)
    if (!m) break
    const name = m[1]!.toLowerCase()
    if (name === 'escape' && (m[2] === '`' || m[2] === '\\')) escape = m[2]
    else if (name === 'syntax') frontend = m[2]
  }
  const stages: string[] = []
  let fromSeen = false
  let variable = false
  let unread = false
  while (i < lines.length) {
    const { instruction, next } = joinInstruction(lines, i, escape)
    i = next
    if (instruction === undefined) continue
    const words = instruction.trim().split(/\s+/)
    if (/^(RUN|COPY|ADD)$/i.test(words[0] ?? '')) {
      i = skipHeredocs(lines, i, instruction)
      // a heredoc that never ends: the text is not read as BuildKit would, so no stage is refused
      if (i > lines.length) unread = true
    }
    if (words[0]?.toUpperCase() !== 'FROM') continue
    fromSeen = true
    const args = words.slice(1).filter(w => !w.startsWith('--'))
    if (args.length >= 3 && args[1]!.toUpperCase() === 'AS') {
      const name = args[2]!
      if (name.includes('$')) variable = true
      stages.push(name)
    }
  }
  const ownFrontend = frontend === undefined || /(^|\/)docker\/dockerfile(-upstream)?([:@]|$)/.test(frontend)
  return { stages, checkable: ownFrontend && fromSeen && !variable && !unread }
}

/**
 * The instruction starting at line `start`, its continuation lines joined (comment and empty lines
 * inside it skipped, as BuildKit does); undefined for a comment or empty line.
 * @returns the instruction and the index of the line after it
 */
function joinInstruction(
  lines: string[],
  start: number,
  escape: string
): { instruction: string | undefined; next: number } {
  let i = start
  let text = ''
  for (; i < lines.length; i++) {
    const line = lines[i]!
    const trimmed = line.trim()
    if (trimmed === '' || trimmed.startsWith('#')) {
      if (text === '') return { instruction: undefined, next: i + 1 }
      continue
    }
    const end = line.replace(/\s+$/, '')
    if (end.endsWith(escape)) {
      text += end.slice(0, -1) + ' '
      continue
    }
    return { instruction: text + line, next: i + 1 }
  }
  return { instruction: text || undefined, next: i }
}

/**
 * The index of the first line after the heredocs `instruction` opens (each ends at a line of its
 * word); past `lines.length` when one never ends.
 */
function skipHeredocs(lines: string[], start: number, instruction: string): number {
  let i = start
  for (const m of instruction.matchAll(HEREDOC)) {
    const [, dash, word] = m
    while (i < lines.length && (dash ? lines[i]!.replace(/^\t+/, '') : lines[i]!) !== word) i++
    i++
  }
  return i
}
