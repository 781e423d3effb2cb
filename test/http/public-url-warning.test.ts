import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig, publicUrlWarning } from '../../src/config.js'
import { DINGTALK_TEST_APP, WECOM_TEST_ENV } from '../support/drivers.js'
import { freePort } from '../support/net.js'

const DINGTALK_ENV = {
  DINGTALK_APP_KEY: DINGTALK_TEST_APP.appKey,
  DINGTALK_APP_SECRET: DINGTALK_TEST_APP.appSecret,
}

describe('publicUrlWarning (issue 12, part 9)', () => {
  it('when WeCom is configured and PUBLIC_URL is unset, warns that links would say localhost', () => {
    const warning = publicUrlWarning(loadConfig({ ...WECOM_TEST_ENV, PORT: '8080' }))

    expect(warning).toBe(
      'PUBLIC_URL is http://localhost:8080 with WeCom on: download links in replies would point there, which a phone cannot open. Set PUBLIC_URL to the address users reach this bot at, such as https://bot.example.gov.cn.',
    )
  })

  it.each(['http://127.0.0.1:3000', 'http://[::1]:3000', 'http://0.0.0.0:3000'])(
    'when DingTalk is configured and PUBLIC_URL is %s, warns too',
    (url) => {
      expect(publicUrlWarning(loadConfig({ ...DINGTALK_ENV, PUBLIC_URL: url }))).toMatch(
        /^PUBLIC_URL is .* with DingTalk on:/,
      )
    },
  )

  it('when PUBLIC_URL is an address phones reach, says nothing', () => {
    const config = loadConfig({ ...WECOM_TEST_ENV, PUBLIC_URL: 'https://bot.example.gov.cn' })

    expect(publicUrlWarning(config)).toBeUndefined()
  })

  it('when no platform is configured (the sandbox on this machine), says nothing', () => {
    expect(publicUrlWarning(loadConfig({}))).toBeUndefined()
  })
})

describe('npm start with WeCom and no PUBLIC_URL', () => {
  let dataDir: string
  let child: ChildProcess | undefined

  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL')
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('logs the warning at start, before it listens', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sy-public-url-'))
    const port = await freePort()
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: process.cwd(),
      env: {
        PATH: process.env.PATH,
        DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        ...WECOM_TEST_ENV,
        // Never reached: the bot starts without calling WeCom.
        WECOM_API_BASE: 'http://127.0.0.1:1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })

    const lines = await linesUntil(child, /listening on/)
    // An answered request: the shutdown handler is in place by then.
    await fetch(`http://127.0.0.1:${port}/healthz`)
    const exited = new Promise<number | null>((resolve) => child!.once('exit', resolve))
    child.kill('SIGTERM')

    const warning = lines.find((l) => l.includes('PUBLIC_URL is'))
    expect(warning, lines.join('\n')).toBeDefined()
    expect(JSON.parse(warning!)).toMatchObject({ level: 40, logger: 'bot:main' })
    expect(warning).toContain(`PUBLIC_URL is http://localhost:${port} with WeCom on`)
    expect(await exited).toBe(0)
  }, 90_000)
})

/** Every output line of `child` up to and including the first matching `until`. */
function linesUntil(child: ChildProcess, until: RegExp): Promise<string[]> {
  return new Promise((resolve, reject) => {
    let seen = ''
    const onData = (chunk: Buffer) => {
      seen += chunk.toString('utf8')
      const lines = seen.split('\n')
      const at = lines.findIndex((l) => until.test(l))
      if (at >= 0) resolve(lines.slice(0, at + 1))
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', (code) => reject(new Error(`exited with ${code} before ${until}: ${seen}`)))
  })
}
