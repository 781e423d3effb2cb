import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { DINGTALK_TEST_APP } from '../support/drivers.js'
import { robotCallback, startFakeDingtalk } from '../support/fake-dingtalk.js'
import { freePort } from '../support/net.js'
import { TEST_REDIS_URL } from '../support/redis.js'

function waitForLine(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = ''
    const onData = (chunk: Buffer) => {
      seen += chunk.toString('utf8')
      const line = seen.split('\n').find((l) => pattern.test(l))
      if (line) resolve(line)
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', (code) =>
      reject(new Error(`exited with ${code} before ${pattern}: ${seen}`)),
    )
  })
}

describe('npm start with no configuration', () => {
  let dataDir: string
  let child: ChildProcess | undefined

  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL')
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('serves the sandbox on its embedded Redis and stops both cleanly on SIGTERM', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sy-start-'))
    const port = await freePort()
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: process.cwd(),
      env: {
        PATH: process.env.PATH,
        DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    await waitForLine(child, /listening on/)

    const page = await fetch(`http://127.0.0.1:${port}/sandbox`)
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`)
    const reply = await fetch(`http://127.0.0.1:${port}/sandbox/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'someone', text: '帮助' }),
    })
    const exited = new Promise<number | null>((resolve) =>
      child!.once('exit', (code) => resolve(code)),
    )
    child.kill('SIGTERM')

    expect(page.status).toBe(200)
    expect(ready.status).toBe(200)
    expect(((await reply.json()) as { replies: { text: string }[] }).replies[0]!.text).toContain(
      'sandbox:someone',
    )
    expect(await exited).toBe(0)
    expect(existsSync(join(dataDir, 'redis', 'redis.sock'))).toBe(false)
    expect(existsSync(join(dataDir, 'secret.key'))).toBe(true)
  })

  it('when the configuration is invalid, exits with one line per problem', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sy-start-'))
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: process.cwd(),
      env: { PATH: process.env.PATH, DATA_DIR: dataDir, WECOM_CORP_ID: 'ww123', PORT: 'x' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')))

    const code = await new Promise<number | null>((resolve) =>
      child!.once('exit', (c) => resolve(c)),
    )

    expect(code).toBe(1)
    expect(stderr).toMatch(/PORT/)
    expect(stderr).toMatch(/WECOM_AGENT_ID is missing/)
  })

  it('when REDIS_URL points at a Redis that does not persist, warns at start (web role)', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sy-start-'))
    const port = await freePort()
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--role', 'web'], {
      cwd: process.cwd(),
      env: {
        PATH: process.env.PATH,
        DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        REDIS_URL: TEST_REDIS_URL,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })

    const warning = await waitForLine(child, /does not persist/)
    await waitForLine(child, /listening on/)

    expect(warning).toContain('appendonly yes')
  })

  it('in DingTalk Stream mode, dials the gateway, answers over the socket and hangs up on SIGTERM', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sy-start-'))
    const fake = await startFakeDingtalk({
      ...DINGTALK_TEST_APP,
      robotCode: DINGTALK_TEST_APP.appKey,
    })
    try {
      child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        cwd: process.cwd(),
        env: {
          PATH: process.env.PATH,
          DATA_DIR: dataDir,
          PORT: String(await freePort()),
          HOST: '127.0.0.1',
          DINGTALK_APP_KEY: DINGTALK_TEST_APP.appKey,
          DINGTALK_APP_SECRET: DINGTALK_TEST_APP.appSecret,
          DINGTALK_API_BASE: fake.url,
          DINGTALK_OAPI_BASE: fake.url,
          DINGTALK_MODE: 'stream',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      await fake.stream.waitForOpened(1, 20_000)
      const id = fake.stream.pushRobotMessage(
        robotCallback('text-single', {
          text: { content: '帮助' },
          msgId: 'start-stream-1',
          createAt: Date.now(),
          sessionWebhook: fake.sessionWebhookUrl('start'),
          sessionWebhookExpiredTime: Date.now() + 60_000,
        }),
      )

      const ack = await fake.stream.waitForAnswer(id, 10_000)
      const reply = await fake.waitFor((r) => r.kind === 'session', 10_000)
      const exited = new Promise<number | null>((resolve) =>
        child!.once('exit', (code) => resolve(code)),
      )
      child.kill('SIGTERM')

      expect(ack.code).toBe(200)
      expect(JSON.stringify(reply)).toContain('您还未登记为本系统用户')
      expect(await exited).toBe(0)
      await vi.waitFor(() => expect(fake.stream.open).toBe(0), { timeout: 2000, interval: 10 })
    } finally {
      await fake.close()
    }
  })
})
