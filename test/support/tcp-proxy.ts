import net from 'node:net'

/** A loopback TCP proxy a test can cut and restore, to put a network fault between the app and a service. */
export interface TcpProxy {
  port: number
  /** Whether connections are forwarded (false between `cut` and `restore`). */
  readonly open: boolean
  /** Destroys every open connection and, until `restore`, accepts new ones only to destroy them. */
  cut(): void
  restore(): void
  close(): Promise<void>
}

/**
 * Starts a proxy on a free 127.0.0.1 port forwarding to target (PostgreSQL by default). Written by
 * hand (about 60 lines, node:net only) rather than taken from a package: a test needs exactly
 * cut/restore, and a cut must look like a dead server — an accepted connection that is reset at
 * once — so the client's error path runs rather than its connect timeout.
 */
export async function startTcpProxy(target: { host: string; port: number } = { host: '127.0.0.1', port: 5432 }): Promise<TcpProxy> {
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket }>()
  let open = true
  const server = net.createServer((client) => {
    // Errors are expected here (the cut destroys sockets); each side ends the other instead.
    client.on('error', () => {})
    if (!open) {
      reset(client)
      return
    }
    const upstream = net.connect(target)
    upstream.on('error', () => {})
    const pair = { client, upstream }
    pairs.add(pair)
    const drop = () => {
      pairs.delete(pair)
      client.destroy()
      upstream.destroy()
    }
    client.once('close', drop)
    upstream.once('close', drop)
    client.pipe(upstream)
    upstream.pipe(client)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as net.AddressInfo
  const destroyAll = () => {
    for (const { client, upstream } of [...pairs]) {
      reset(client)
      upstream.destroy()
    }
    pairs.clear()
  }
  return {
    port,
    get open() {
      return open
    },
    cut() {
      open = false
      destroyAll()
    },
    restore() {
      open = true
    },
    close() {
      open = false
      destroyAll()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** Sends RST, as the kernel of a crashed server would (a plain destroy would be an orderly FIN). */
function reset(socket: net.Socket): void {
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy()
  else socket.destroy()
}

/** The same connection string with host and port replaced by the proxy's. */
export function viaProxy(url: string, proxy: TcpProxy): string {
  const parsed = new URL(url)
  parsed.hostname = '127.0.0.1'
  parsed.port = String(proxy.port)
  return parsed.toString()
}
