/**
 * Names of the action's inputs and outputs, as in action.yml (one place, kebab-case): inputs.ts reads
 * every input through `Inputs`, main.ts and report/ set every output through `Outputs`. The inputs of
 * options are not listed here: they are the options schema's (options.ts rows with an `input`), under
 * the rows' names (`Inputs.tagPolicy` = `tag-policy`, `Inputs.timeout` = `request-timeout`).
 */
import { OPTIONS, type RawOptions } from './options.js'

/** The schema's inputs under their rows' names (the engine options', `dry-run`, the merge's two, `push`). */
const OPTION_INPUTS = Object.fromEntries(OPTIONS.filter(o => o.input).map(o => [o.name, o.input!])) as Record<
  keyof RawOptions | 'dryRun' | 'mergeSources' | 'mergePlatforms' | 'push',
  string
>

/** The inputs that are no option of the schema: the build, the images, tags, GitHub. */
const ACTION_INPUTS = {
  context: 'context',
  file: 'file',
  buildArgs: 'build-args',
  labels: 'labels',
  platforms: 'platforms',
  target: 'target',
  noCache: 'no-cache',
  dockerCli: 'docker-cli',
  pull: 'pull',
  secrets: 'secrets',
  secretFiles: 'secret-files',
  secretEnvs: 'secret-envs',
  ssh: 'ssh',
  buildContexts: 'build-contexts',
  annotations: 'annotations',
  provenance: 'provenance',
  sbom: 'sbom',
  network: 'network',
  addHosts: 'add-hosts',
  shmSize: 'shm-size',
  ulimit: 'ulimit',
  builder: 'builder',
  cacheFrom: 'cache-from',
  cacheTo: 'cache-to',
  cache: 'cache',
  rebuild: 'rebuild',
  source: 'source',
  stagingImage: 'staging-image',
  tags: 'tags',
  flavor: 'flavor',
  targets: 'targets',
  registryAuth: 'registry-auth',
  lowercase: 'lowercase',
  githubToken: 'github-token',
  deploymentEnvironment: 'deployment-environment',
  deploymentUrl: 'deployment-url',
  promotionFile: 'promotion-file',
  shard: 'shard',
  planShards: 'plan-shards'
} as const

/** Every input of action.yml: the action's own, then the schema's. */
export const Inputs = { ...ACTION_INPUTS, ...OPTION_INPUTS }

export const Outputs = {
  digest: 'digest',
  stagingRef: 'staging-ref',
  promoted: 'promoted',
  plan: 'plan',
  tags: 'tags',
  deploymentId: 'deployment-id',
  imageid: 'imageid',
  metadata: 'metadata',
  matrix: 'matrix'
} as const
