import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { loadConfig } from './config.ts'

/**
 * The image's HEALTHCHECK (`node hub/src/healthcheck.js`): asks the hub process beside it for
 * /ready, where its own settings say it serves it (HTTP_PORT with the `api` role, else
 * METRICS_PORT), and exits 0 on a 200. The settings are read as the process read them (the same
 * environment, `*_FILE` secrets and `.env`), so the check follows HTTP_PORT or TLS wherever set.
 */
const config = loadConfig()
const api = config.roles.has('api')
const port = api ? config.HTTP_PORT : config.METRICS_PORT
if (port === 0) {
  console.error('healthcheck: this process serves no /ready (METRICS_PORT=0 without the api role)')
  process.exit(1)
}
// A hub listening on every address answers on loopback; one bound to an address, there.
const host = ['0.0.0.0', '::'].includes(config.HTTP_HOST) ? '127.0.0.1' : config.HTTP_HOST
const options = { host, port, path: '/ready', timeout: 3000 }
const answered = (res: IncomingMessage) => {
  res.resume()
  if (res.statusCode !== 200) console.error(`healthcheck: /ready answered ${res.statusCode}`)
  process.exit(res.statusCode === 200 ? 0 : 1)
}
// HTTPS on HTTP_PORT when the hub has a certificate. Its name is not this address, so it is not
// verified: the check is of the process, not of the certificate.
const req = api && config.TLS_CERT_FILE ? httpsRequest({ ...options, rejectUnauthorized: false }, answered) : httpRequest(options, answered)
req.on('timeout', () => req.destroy(new Error('no answer within 3 s')))
req.on('error', (err) => {
  console.error(`healthcheck: ${err.message}`)
  process.exit(1)
})
req.end()
