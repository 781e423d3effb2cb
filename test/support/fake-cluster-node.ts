import { randomBytes } from 'node:crypto'
import { createServer, type Server, type Socket } from 'node:net'

/**
 * A one-node Redis Cluster on loopback that owns every slot and answers the handshake and
 * slot look-ups as Redis 7 does, but answers every other command with `reply(command)`:
 * a raw RESP line such as `-CLUSTERDOWN The cluster is down`. Enough for ioredis' Cluster
 * to connect, then meet a failover on every command. `commands` records what was asked.
 */
export interface FakeClusterNode {
  port: number
  url: string
  commands: string[][]
  close(): Promise<void>
}

export async function startFakeClusterNode(
  reply: (command: string[], node: { port: number }) => string,
): Promise<FakeClusterNode> {
  const sockets = new Set<Socket>()
  const commands: string[][] = []
  const id = randomBytes(20).toString('hex')
  let port = 0
  const answer = (command: string[]): string => {
    const [name = '', sub = ''] = command.map((part) => part.toUpperCase())
    // RESP3 refused, so ioredis falls back to RESP2 and the answers below stay simple.
    if (name === 'HELLO') return '-NOPROTO unsupported protocol version\r\n'
    if (name === 'INFO') return bulk('# Server\r\nredis_version:7.0.15\r\nloading:0\r\n')
    if (name === 'CLUSTER' && sub === 'SLOTS') {
      return `*1\r\n*3\r\n:0\r\n:16383\r\n*3\r\n${bulk('127.0.0.1')}:${port}\r\n${bulk(id)}`
    }
    if (name === 'CLUSTER' && sub === 'INFO') return bulk('cluster_state:ok\r\n')
    if (name === 'CLIENT' && sub === 'SETINFO') return '+OK\r\n'
    commands.push(command)
    const line = reply(command, { port })
    return line.endsWith('\r\n') ? line : `${line}\r\n`
  }
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    let buffered = Buffer.alloc(0)
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk])
      for (;;) {
        const parsed = parseCommand(buffered)
        if (!parsed) break
        buffered = buffered.subarray(parsed.used)
        socket.write(answer(parsed.command))
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as { port: number }).port
  return {
    port,
    url: `redis-cluster://127.0.0.1:${port}`,
    commands,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

function bulk(text: string): string {
  return `$${Buffer.byteLength(text)}\r\n${text}\r\n`
}

/** One RESP array of bulk strings (what clients send) from the front of `buffer`, if whole. */
function parseCommand(buffer: Buffer): { command: string[]; used: number } | undefined {
  if (buffer.length === 0 || buffer[0] !== 0x2a /* '*' */) return undefined
  let at = buffer.indexOf('\r\n')
  if (at < 0) return undefined
  const count = Number(buffer.subarray(1, at).toString())
  let offset = at + 2
  const command: string[] = []
  for (let i = 0; i < count; i++) {
    at = buffer.indexOf('\r\n', offset)
    if (at < 0) return undefined
    const length = Number(buffer.subarray(offset + 1, at).toString())
    const start = at + 2
    if (buffer.length < start + length + 2) return undefined
    command.push(buffer.subarray(start, start + length).toString())
    offset = start + length + 2
  }
  return { command, used: offset }
}
