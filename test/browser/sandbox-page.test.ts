import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import type { Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { QueueEvents } from 'bullmq'
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningWorkers } from '../../jobs/worker.js'
import { reminderJobId } from '../../src/reminders/job.js'
import { createTestBot, type TestBot } from '../support/bot.js'
import { testClock } from '../support/clock.js'
import { freePort } from '../support/net.js'
import { queueEventsOf, startTestWorkers } from '../support/workers.js'
import { replyOf } from '../../src/replies/reply-of.js'

// The functions below that run in the page see the DOM; the suite is compiled without its lib.
declare const document: { querySelectorAll(selector: string): { length: number } }
declare const window: { innerHeight: number; scrollY: number }
declare const KeyboardEvent: new (type: string, init: Record<string, unknown>) => unknown

/** Debian's chromium (`apt-get install chromium`; .ci/run installs it when missing). */
const CHROMIUM = '/usr/bin/chromium'
const SHOTS = join(process.cwd(), 'test-output', 'sandbox-page')
const PHONE = { width: 390, height: 844 }

if (!existsSync(CHROMIUM)) {
  console.warn(`browser test skipped: ${CHROMIUM} not found (apt-get install -y chromium)`)
}

// A browser on a busy shared machine: generous timeouts, and waits on events, never on time.
describe.skipIf(!existsSync(CHROMIUM))(
  'the sandbox page on a phone (issue 12, part 8)',
  { timeout: 60_000 },
  () => {
    // 10:00 in Shanghai: the demo's dates and the reminder follow this clock, not today's.
    const clock = testClock('2026-12-02T02:00:00Z')
    let t: TestBot
    let server: Server
    let workers: RunningWorkers
    let events: QueueEvents
    let profile: string
    let context: BrowserContext
    let page: Page

    beforeAll(async () => {
      t = await createTestBot({}, { now: clock })
      events = await queueEventsOf(t)
      workers = startTestWorkers(t)
      const port = await freePort()
      server = t.bot.app.listen(port, '127.0.0.1')
      await new Promise<void>((resolve) => server.once('listening', resolve))
      mkdirSync(SHOTS, { recursive: true })
      profile = mkdtempSync(join(tmpdir(), 'sy-chromium-'))
      context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
        viewport: PHONE,
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
        timeout: 60_000,
      })
      page = context.pages()[0] ?? (await context.newPage())
      await page.goto(`http://127.0.0.1:${port}/sandbox`)
    }, 90_000)

    afterAll(async () => {
      await context?.close()
      if (profile) rmSync(profile, { recursive: true, force: true })
      await new Promise((resolve) => server?.close(resolve))
      await workers?.close({ force: true })
      await events?.close()
      await t?.cleanup()
    })

    const bot = () => page.locator('#log .msg.bot')
    const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) })

    /** Types `text` into the message box and presses Enter, as a phone user does. */
    async function type(text: string): Promise<void> {
      const before = await bot().count()
      await page.locator('#text').fill(text)
      await page.locator('#text').press('Enter')
      await page.waitForFunction(
        (n) => document.querySelectorAll('#log .msg.bot').length > n,
        before,
        { timeout: 20_000 },
      )
    }

    /** The element's bottom edge lies inside the visible window, and the page is not scrolled. */
    async function bottomInView(locator: Locator): Promise<boolean> {
      return locator.evaluate((el) => {
        const box = el.getBoundingClientRect()
        return box.bottom > 0 && box.bottom <= window.innerHeight && window.scrollY === 0
      })
    }

    it('opens at phone width with the chat, the 推送 tab and the composer on one screen', async () => {
      await shot('01-opened')

      expect(await bottomInView(page.locator('#send'))).toBe(true)
      expect(await bottomInView(page.locator('#tab-outbox'))).toBe(true)
      expect(await page.locator('#outbox-panel').isVisible()).toBe(false)
    })

    it('when the first user types 帮助, the welcome and the help arrive and the newest is in view', async () => {
      await type('帮助')
      await shot('02-first-user')

      expect(await bot().first().textContent()).toMatch(/^您是第一位用户，已设为管理员/)
      expect(await bottomInView(bot().last())).toBe(true)
    })

    it('when the demo button is tapped, the township loads and the reply is in view', async () => {
      const before = await bot().count()

      await page.locator('#demo').tap()
      await page.waitForFunction(
        (n) => document.querySelectorAll('#log .msg.bot').length > n,
        before,
      )
      await shot('03-demo-loaded')

      expect(await bot().last().textContent()).toMatch(/^已载入示范镇（2026 年）/)
      expect(await bottomInView(bot().last())).toBe(true)
      expect(await page.locator('#demo').isVisible()).toBe(false)
    })

    it('when a tally with rows arrives, it is drawn from its layout: a line per village, no raw pipes or **', async () => {
      await type('统计 八一')
      await shot('04-tally')

      const last = bot().last()
      // docs/replies.md: the sandbox draws the layout (title, caption, one row per village).
      expect(await last.locator('ul.rows li').count()).toBeGreaterThan(1)
      expect(await last.locator('ul.rows li strong').first().textContent()).toMatch(/村|社区/)
      expect(await last.textContent()).not.toMatch(/\*\*|\| --- \||^\|/)
      expect(await bottomInView(last)).toBe(true)
    })

    it('when Enter is pressed while an input method is composing, nothing is sent', async () => {
      const sent = await page.locator('#log .msg.me').count()

      await page.locator('#text').fill('zou')
      await page.locator('#text').evaluate((el) => {
        el.dispatchEvent(
          new KeyboardEvent('keydown', {
            key: 'Enter',
            keyCode: 229,
            isComposing: true,
            bubbles: true,
            cancelable: true,
          }),
        )
      })

      expect(await page.locator('#log .msg.me').count()).toBe(sent)
      expect(await page.locator('#text').inputValue()).toBe('zou')
      await page.locator('#text').fill('')
    })

    it('when the user switches to a demo cadre and sets a reminder, it arrives in the 推送 panel', async () => {
      await page.locator('#user').fill('刘干事')
      await page.locator('#user').press('Enter')
      await page.locator('#user').blur()
      await type('提醒 5分钟后 交表')
      await shot('05-cadre-reminder')
      expect(await bot().last().textContent()).toMatch(/^已设提醒 #1：/)
      expect(await page.locator('#log .switch').last().textContent()).toBe(
        '— 已切换为 sandbox:刘干事 —',
      )

      // BullMQ waits on the real clock: the bot's clock moves on and the job is promoted.
      clock.advance(5 * 60_000)
      const job = await t.queue.getJob(reminderJobId(1, 1))
      await job!.promote()
      expect(await job!.waitUntilFinished(events, 20_000)).toBe('sent')
      await page.locator('#badge').filter({ hasText: '1' }).waitFor({ timeout: 20_000 })
      await shot('06-push-badge')
      await page.locator('#tab-outbox').tap()
      const push = page.locator('#outbox .msg').first()
      await push.waitFor({ timeout: 20_000 })
      await shot('07-push-panel')

      expect(await push.textContent()).toContain('【提醒 #1】交表')
      expect(await push.textContent()).toContain('发给 刘干事')
      expect(await bottomInView(push)).toBe(true)
      expect(await page.locator('#log').isVisible()).toBe(false)
      expect(await page.locator('#badge').textContent()).toBe('')
    }, 90_000)

    it('when a push with rows arrives, the title and names are bold and each row is its own line, with no pipes', async () => {
      const sandbox = t.bot.adapters.get('sandbox')!

      await sandbox.send(
        { platform: 'sandbox', chatId: '王书记', isGroup: false },
        replyOf('【八一走访提醒】距八一还有 7 天', [
          {
            caption: '各村（已访/应访）：',
            rows: [
              { name: '铁炉嘴村', cells: ['11/12 户'] },
              { name: '童家坝村', cells: ['7/10 户'] },
            ],
          },
        ]),
      )
      const push = page.locator('#outbox .msg', { hasText: '八一走访提醒' })
      await push.waitFor({ timeout: 20_000 })
      await shot('08-rows-push')

      expect(await push.locator('strong').first().textContent()).toBe(
        '【八一走访提醒】距八一还有 7 天',
      )
      expect(await push.locator('li').allTextContents()).toEqual([
        '铁炉嘴村 11/12 户',
        '童家坝村 7/10 户',
      ])
      expect(await push.textContent()).not.toMatch(/[|*]/)
    })

    it('when a message holds HTML, it is shown as text, never as elements', async () => {
      await page.locator('#tab-chat').tap()

      await type('对象 <img src=x onerror="document.title=1"><b>x</b>')

      expect(await page.locator('#log img, #log b').count()).toBe(0)
      expect(await page.locator('#log .msg.me').last().textContent()).toContain('<b>x</b>')
      expect(await page.title()).toBe('双拥助手 · 本地试用')
    })

    it('when a message is longer than the route takes, the box stops it at 4,000 characters', async () => {
      // A tester's 4,001 characters came back as the route's English JSON 400.
      expect(await page.locator('#text').getAttribute('maxlength')).toBe('4000')
    })

    it('when the user goes back to 对话, the newest reply is in view again', async () => {
      await page.locator('#tab-outbox').tap()
      await page.locator('#tab-chat').tap()
      await shot('09-back-to-chat')

      expect(await bottomInView(bot().last())).toBe(true)
    })
  },
)
