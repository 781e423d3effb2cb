import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * SECRET_KEY when configured; otherwise the key generated into `<dataDir>/secret.key` on
 * first start (mode 0600) and read back on every later start. Losing it makes stored ID
 * numbers unreadable, so the README tells operators to back it up with the data.
 */
export function resolveSecretKey(configured: string | undefined, dataDir: string): string {
  if (configured) return configured
  const file = join(dataDir, 'secret.key')
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  mkdirSync(dataDir, { recursive: true })
  const key = randomBytes(32).toString('hex')
  writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' })
  return key
}
