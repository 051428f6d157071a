/**
 * A distribution 2.8 registry that accepts manifests whose layers carry `urls` (non-distributable /
 * foreign layers): distribution refuses them unless `validation.manifests.urls.allow` is set.
 */
import { startRegistry, type TestRegistry } from '../helpers/registry.js'

/** Starts such a registry on a free loopback port (see startRegistry). */
export async function startUrlRegistry(): Promise<TestRegistry> {
  return await startRegistry({
    extraConfig: ['validation:', '  manifests:', '    urls:', '      allow:', "        - '^https://'"].join(
      '\n'
    )
  })
}
