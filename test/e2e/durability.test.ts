import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { afterEach, describe, expect, it } from 'vitest'
import { freePort } from '../support/net.js'

function startBot(dataDir: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: process.cwd(),
    env: {
      PATH: process.env.PATH,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      ADMIN_USERS: 'sandbox:admin',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return new Promise((resolve, reject) => {
    let seen = ''
    const onData = (chunk: Buffer) => {
      seen += chunk.toString('utf8')
      if (seen.includes('listening on')) resolve(child)
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', (code) => reject(new Error(`bot exited with ${code}: ${seen}`)))
  })
}

async function say(port: number, text: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/sandbox/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: 'admin', text }),
  })
  const body = (await res.json()) as { replies: { text: string }[] }
  return body.replies.map((r) => r.text).join('\n')
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGKILL')
  })
}

describe('acknowledged records across crashes', () => {
  let dataDir: string
  let bot: ChildProcess | undefined

  afterEach(async () => {
    if (bot && bot.exitCode === null) {
      const exited = new Promise((resolve) => bot!.once('exit', resolve))
      bot.kill('SIGTERM')
      await exited
    }
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('when the bot and its embedded Redis are both killed with SIGKILL, every acknowledged record is there after a restart', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sy-dur-'))
    const port = await freePort()
    bot = await startBot(dataDir, port)
    const added = await say(port, '添加对象 张三 铁炉嘴村 残疾军人 二等乙级')
    const visited = await say(port, '走访 张三 2026-07-28 八一 慰问金500元')
    const visitId = /#(\d+)/.exec(visited)![1]
    const redis = new Redis({ path: join(dataDir, 'redis', 'redis.sock') })
    const redisPid = Number(/process_id:(\d+)/.exec(await redis.info('server'))![1])
    redis.disconnect()

    await killed(bot)
    process.kill(redisPid, 'SIGKILL')
    // A fresh port: the old one is free again, but on a busy machine any outgoing connection
    // may be given it as its local port before the restart binds it.
    const again = await freePort()
    bot = await startBot(dataDir, again)
    const corrected = await say(again, `修改 #${visitId} 备注 复查`)
    const found = await say(again, '对象 张三')

    expect(added).toMatch(/^已添加 #\d+/)
    expect(visited).toMatch(/^已登记 #\d+：2026-07-28 八一走访 铁炉嘴村 张三/)
    expect(corrected).toBe(`已修改 #${visitId} 铁炉嘴村 张三 八一走访：备注 无 → 复查`)
    expect(found).toMatch(/张三（残疾军人·二等乙级）\n铁炉嘴村/)
  })
})
