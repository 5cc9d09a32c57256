import { execFile } from 'node:child_process'
import { chmod, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { startPrivateMosquitto } from './private-mosquitto.ts'

const DOCKER = fileURLToPath(new URL('../../docker/', import.meta.url))

export interface SecuredMosquittoLogins {
  /** Password of the `hub` user. */
  hub: string
  /** The devices that may log in (each as its id), and their one password. */
  devices: readonly string[]
  device: string
}

/**
 * The broker docker-compose runs, for real, as this test's own: the repository's mosquitto.conf
 * (only its listener and file paths changed for a private instance, and its WebSocket listener
 * left out: Debian's Mosquitto cannot open one), its ACL file, and a password file written by its
 * script. The ACL names the production topic root `wh`.
 */
export function startSecuredMosquitto(logins: SecuredMosquittoLogins) {
  return startPrivateMosquitto({
    async config({ port, dir }) {
      // Mosquitto started as root reads the password file after dropping to its own user.
      await chmod(dir, 0o755)
      // The passwords as compose gives them: secret files, named by *_FILE.
      await writeFile(join(dir, 'mqtt_hub_password'), `${logins.hub}\n`)
      await writeFile(join(dir, 'mqtt_device_password'), `${logins.device}\n`)
      await promisify(execFile)('sh', [join(DOCKER, 'mosquitto-passwd.sh'), join(dir, 'passwd')], {
        env: {
          ...process.env,
          MQTT_HUB_PASSWORD_FILE: join(dir, 'mqtt_hub_password'),
          MQTT_DEVICES: logins.devices.join(' '),
          MQTT_DEVICE_PASSWORD_FILE: join(dir, 'mqtt_device_password'),
        },
      })
      const conf = await readFile(join(DOCKER, 'mosquitto.conf'), 'utf8')
      return conf
        .replace(/^listener 1883$/m, `listener ${port} 127.0.0.1`)
        .replace(/^listener 9001\nprotocol websockets$/m, '')
        .replace(/^password_file .*$/m, `password_file ${join(dir, 'passwd')}`)
        .replace(/^acl_file .*$/m, `acl_file ${join(DOCKER, 'mosquitto-acl')}`)
        .replace(/^persistence true$/m, 'persistence false')
        .replace(/^persistence_location .*$/m, '')
    },
  })
}
