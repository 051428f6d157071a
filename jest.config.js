/** Jest 30 with ts-jest's ESM preset; run with NODE_OPTIONS=--experimental-vm-modules. */
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      { useESM: true, tsconfig: 'tsconfig.json', diagnostics: { ignoreCodes: [151002] } }
    ]
  },
  // each test file its own XDG_CACHE_HOME (blob record, upload state, code cache)
  setupFiles: ['<rootDir>/__tests__/helpers/cache-home.ts'],
  testTimeout: 120000,
  maxWorkers: 2,
  verbose: false
}
