import type { HubApp } from '../../hub/src/app.ts'

/** Every route of the hub (read off Fastify's route tree, so none is missed), path parameters filled in. */
export function everyRoute(hub: HubApp): { method: string; url: string }[] {
  const routes: { method: string; url: string }[] = []
  const stack: string[] = []
  for (const line of hub.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)[├└]── (.*?) \(([A-Z, ]+)\)$/.exec(line) ?? /^([│ ]*)[├└]── (.*)$/.exec(line)
    if (!match) continue
    const depth = match[1]!.length / 4
    stack.length = depth
    stack.push(match[2]!)
    const url = stack
      .join('')
      .replace(/:[A-Za-z]+(\|:[A-Za-z]+)*/g, 'x1')
      .replace(/\*$/, 'x1')
    for (const method of match[3]?.split(', ') ?? []) routes.push({ method, url })
  }
  return routes
}

/** Every route that changes something: what no reader may reach. */
export const everyChange = (hub: HubApp) => everyRoute(hub).filter((r) => !['GET', 'HEAD'].includes(r.method))
