/**
 * Jest setup (jest.config.js setupFiles): every test file gets a cache directory of its own as
 * XDG_CACHE_HOME. What a run leaves there (the blob record of copy/blob-memory.ts, the upload state
 * of copy/resume.ts, the CLI's code cache) would otherwise meet another file's registries, which
 * may come up on the same loopback port: a remembered blob would add a mount to a pinned sequence.
 * A test that sets XDG_CACHE_HOME itself still wins.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

process.env.XDG_CACHE_HOME = mkdtempSync(join(tmpdir(), 'jest-cache-'))
