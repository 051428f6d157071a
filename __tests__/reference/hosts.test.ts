/** reference/hosts.ts isLoopbackHost: the one owner of "is this host loopback" (pure table). */
import { isLoopbackHost } from '../../src/reference/index.js'

describe('isLoopbackHost', () => {
  test.each<[string, boolean]>([
    ['localhost', true],
    ['LOCALHOST:5000', true],
    ['127.0.0.1', true],
    ['127.3.2.1:5000', true],
    ['[::1]', true],
    ['[::1]:5409', true],
    // the same address written long (newuser6 #1): loopback wherever [::1] is
    ['[0:0:0:0:0:0:0:1]:5409', true],
    ['[0:0:0:0:0:0:0:1]', true],
    ['[0::1]:5000', true],
    ['[0000:0000::0001]', true],
    // IPv4-mapped 127.0.0.0/8, loopback for Go's net.IP.IsLoopback (docker)
    ['[::ffff:127.0.0.1]:5000', true],
    ['[::FFFF:7f00:1]', true],
    ['[::2]', false],
    ['[1::1]', false],
    ['[::]:5000', false],
    ['[::ffff:10.0.0.1]', false],
    ['[::127.0.0.1]', false],
    ['[0:0:0:0:0:0:0:0:1]', false],
    ['[0:0:0:0:0:0:1]', false],
    ['[1::1::1]', false],
    ['[::ffff:127.0.0.256]', false],
    ['[::1', false],
    ['::1', false],
    ['localhost.localdomain:5000', false],
    ['lab.test:5000', false],
    ['vm:5402', false],
    ['128.0.0.1', false],
    ['127.0.0.1.example.com', false]
  ])('%s → %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback)
  })
})
