/**
 * A registry that accepted the connection and never answers: a plain `net` server on loopback that
 * reads requests and writes nothing, for the interruption tests (a signal must end the request, not
 * the request timeout).
 */
import { createServer, type Server, type Socket } from 'node:net'

export interface Hung {
  /** `127.0.0.1:PORT` */
  host: string
  /** resolves with the first request line once a request's bytes arrived */
  requested: () => Promise<string>
  stop: () => Promise<void>
}

/** Starts a hung registry on a free loopback port. */
export async function startHung(): Promise<Hung> {
  const sockets = new Set<Socket>()
  let waiting: ((line: string) => void)[] = []
  let first: string | undefined
  const server: Server = createServer(socket => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => undefined)
    socket.once('data', (d: Buffer) => {
      first ??= d.toString('latin1').split('\r\n')[0]
      waiting.forEach(w => w(first as string))
      waiting = []
    })
  })
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as { port: number }
  return {
    host: `127.0.0.1:${port}`,
    requested: () => (first !== undefined ? Promise.resolve(first) : new Promise(r => waiting.push(r))),
    stop: async () => {
      sockets.forEach(s => s.destroy())
      await new Promise(r => server.close(r))
    }
  }
}
