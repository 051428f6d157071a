/** Names of the action's inputs and outputs, as in action.yml (one place, kebab-case): inputs.ts reads every input through `Inputs`, main.ts and report/ set every output through `Outputs`. */
export const Inputs = {
  context: 'context',
  file: 'file',
  buildArgs: 'build-args',
  labels: 'labels',
  platforms: 'platforms',
  target: 'target',
  noCache: 'no-cache',
  dockerCli: 'docker-cli',
  source: 'source',
  stagingImage: 'staging-image',
  tags: 'tags',
  flavor: 'flavor',
  targets: 'targets',
  registryAuth: 'registry-auth',
  registryKinds: 'registry-kinds',
  insecureRegistries: 'insecure-registries',
  caFile: 'ca-file',
  tagPolicy: 'tag-policy',
  movingTags: 'moving-tags',
  dryRun: 'dry-run',
  concurrency: 'concurrency',
  requestTimeout: 'request-timeout',
  uploadMode: 'upload-mode',
  lowercase: 'lowercase',
  githubToken: 'github-token',
  deploymentEnvironment: 'deployment-environment',
  deploymentUrl: 'deployment-url'
} as const

export const Outputs = {
  digest: 'digest',
  stagingRef: 'staging-ref',
  promoted: 'promoted',
  plan: 'plan',
  tags: 'tags',
  deploymentId: 'deployment-id'
} as const
