/** skopeo transport prefixes (issue 19): docker:// dropped, every other transport refused by name. */
import { describe, expect, it } from '@jest/globals'
import { namesRegistryOnly, registryReference } from '../../src/reference/transport.js'

describe('registryReference', () => {
  it.each([
    ['docker://ghcr.io/org/app:1', 'ghcr.io/org/app:1'],
    ['docker://127.0.0.1:5000/app@sha256:' + 'a'.repeat(64), '127.0.0.1:5000/app@sha256:' + 'a'.repeat(64)],
    ['docker://alpine', 'alpine'],
    ['ghcr.io/org/app:1', 'ghcr.io/org/app:1'],
    ['localhost:5000/app:1', 'localhost:5000/app:1'],
    // a registry host named like a transport, with a port, is a registry
    ['oci:5000/app:1', 'oci:5000/app:1'],
    ['dir:443/x', 'dir:443/x'],
    ['app:1', 'app:1']
  ])('%s → %s', (input, out) => expect(registryReference(input, 'SRC')).toBe(out))

  it.each([
    ['oci:/tmp/layout:v1', 'SRC', 'oci', 'an OCI image layout directory'],
    ['oci-archive:app.tar', 'SRC', 'oci-archive', 'an OCI image layout tar archive'],
    ['dir:/tmp/app', 'DST 1', 'dir', 'a directory of manifest and blob files'],
    ['docker-daemon:app:1', 'SRC', 'docker-daemon', "the docker daemon's image store"],
    ['docker-archive:/tmp/a.tar', 'REF', 'docker-archive', 'a docker save tar archive'],
    [
      'containers-storage:localhost/app',
      'SRC',
      'containers-storage',
      'containers/storage (podman, buildah, CRI-O)'
    ]
  ])('%s is refused, naming the input and the rule', (input, what, transport, names) =>
    expect(() => registryReference(input, what)).toThrow(
      `${what} "${input}": the ${transport}: transport (${names}) is not read; promote-image reads and writes registries only (REF or docker://REF). Push the image to a registry first, e.g. skopeo copy ${transport}:… docker://REGISTRY/REPOSITORY:TAG`
    )
  )
})

describe('namesRegistryOnly', () => {
  it.each([
    ['127.0.0.1:45101', true],
    ['ghcr.io', true],
    ['localhost:5000', true],
    ['localhost', true],
    ['ubuntu:22.04', false],
    ['ubuntu', false],
    ['ghcr.io/o/a', false],
    ['127.0.0.1:45101/app', false],
    ['ghcr.io@sha256:' + 'a'.repeat(64), false]
  ])('%s → %s', (input, only) => expect(namesRegistryOnly(input)).toBe(only))
})
