/** The neutralising of registry text for each output (moved to src/neutralise.ts, below every layer that quotes registry text). */
export * from '../neutralise.js'
