import net from 'node:net'

/** How the proxy treats traffic right now. */
export type ProxyMode = 'pass' | 'delay' | 'blackhole' | 'half-open'

interface Link {
  client: net.Socket
  upstream?: net.Socket
  /** Bytes held while blackholed, per direction, sent in order on heal (TCP would retransmit them). */
  held: { up: Buffer[]; down: Buffer[] }
  /** Half-open: the upstream is gone but the client was not told; destroyed on heal. */
  orphaned: boolean
}

/**
 * A loopback TCP proxy a test can cut, slow, blackhole or half-open, to take a service away from
 * one hub (or give it a bad network) without touching the service others use:
 * - `cut()`: every connection is dropped and new ones refused, until `restore()`;
 * - `delay(ms)`: every chunk, both ways, arrives `ms` later (order kept);
 * - `blackhole()`: nothing gets through either way and new connections hang, but nothing is
 *   closed, like a partition; on `heal()` the held bytes flow (as TCP's retransmits would);
 * - `halfOpen()`: the server side is closed, the client side is kept open without a FIN and its
 *   bytes swallowed, so only the client's own timeouts can notice; `heal()` resets those clients.
 */
export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1') {
  const links = new Set<Link>()
  let mode: ProxyMode = 'pass'
  let delayMs = 0

  const forward = (link: Link, dir: 'up' | 'down', chunk: Buffer) => {
    const to = dir === 'up' ? link.upstream : link.client
    if (link.orphaned) return // half-open: swallowed
    if (mode === 'blackhole' || !to) return void link.held[dir].push(chunk)
    if (mode === 'delay' && delayMs > 0) setTimeout(() => to.destroyed || to.write(chunk), delayMs)
    else to.write(chunk)
  }
  const connectUpstream = (link: Link) => {
    const upstream = net.connect(targetPort, targetHost)
    link.upstream = upstream
    upstream.setNoDelay(true)
    upstream.on('data', (chunk: Buffer) => forward(link, 'down', chunk))
    upstream.on('error', () => upstream.destroy())
    upstream.on('close', () => link.orphaned || link.client.destroy())
    for (const chunk of link.held.up.splice(0)) upstream.write(chunk)
  }

  const server = net.createServer((client) => {
    const link: Link = { client, held: { up: [], down: [] }, orphaned: false }
    links.add(link)
    client.setNoDelay(true)
    client.on('data', (chunk: Buffer) => forward(link, 'up', chunk))
    client.on('error', () => client.destroy())
    client.on('close', () => {
      links.delete(link)
      link.upstream?.destroy()
    })
    // A blackholed network answers no SYN: the upstream is reached only once it heals.
    if (mode !== 'blackhole') connectUpstream(link)
  })
  const listen = (port = 0) =>
    new Promise<number>((resolve) => server.listen(port, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)))
  const port = await listen()

  return {
    port,
    get mode() {
      return mode
    },
    /** Drops every open connection and refuses new ones. */
    async cut() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        for (const l of links) l.client.destroy()
      })
    },
    restore: () => listen(port),
    delay(ms: number) {
      mode = 'delay'
      delayMs = ms
    },
    blackhole() {
      mode = 'blackhole'
    },
    halfOpen() {
      mode = 'half-open'
      for (const l of links) {
        l.orphaned = true
        l.upstream?.destroy()
      }
    },
    /** Back to passing traffic straight through: held bytes flow, half-open clients are reset. */
    heal() {
      mode = 'pass'
      delayMs = 0
      for (const l of links) {
        if (l.orphaned) l.client.resetAndDestroy()
        else if (!l.upstream) connectUpstream(l)
        else for (const chunk of l.held.up.splice(0)) l.upstream.write(chunk)
        for (const chunk of l.held.down.splice(0)) l.client.write(chunk)
      }
    },
    close: async () => {
      for (const l of links) {
        l.client.destroy()
        l.upstream?.destroy()
      }
      if (server.listening) await new Promise((r) => server.close(r))
    },
  }
}

export type TcpProxy = Awaited<ReturnType<typeof startTcpProxy>>
