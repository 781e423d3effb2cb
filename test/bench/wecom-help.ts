import Koa from 'koa'
import Router from 'koa-router'
import { sealWecomCallback } from '../support/fake-wecom.js'
import { createTestBot } from '../support/bot.js'
import { benchLine, loadHttp } from './support.js'

const WECOM = {
  WECOM_CORP_ID: 'ww1436e0e65a779aee',
  WECOM_AGENT_ID: '1000002',
  WECOM_SECRET: 'bench-secret',
  WECOM_TOKEN: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo',
  WECOM_ENCODING_AES_KEY: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
}

/**
 * The WeCom 帮助 path (signature, decrypt, XML, dedupe, role lookup, command, encrypted
 * passive reply) against a bare Koa handler, both at 32 connections in this run.
 * Every request carries a fresh MsgId, sealed ahead so the client's crypto is not timed.
 */
export async function benchWecomHelp(seconds: number): Promise<string[]> {
  const bare = new Koa()
  const router = new Router()
  router.post('/webhooks/wecom', (ctx) => {
    ctx.body = 'ok'
  })
  bare.use(router.routes())
  const baseline = await loadHttp(
    bare,
    () => ({ method: 'POST', path: '/webhooks/wecom', body: '<xml/>' }),
    { seconds },
  )

  const t = await createTestBot({ ...WECOM, ADMIN_USERS: 'wecom:bench' })
  try {
    const timestamp = String(Math.floor(Date.now() / 1000))
    const sealed = Array.from(
      { length: Math.ceil(baseline.requestsPerSecond * seconds * 1.2) + 1000 },
      (_, i) => {
        const inner = `<xml><ToUserName><![CDATA[${WECOM.WECOM_CORP_ID}]]></ToUserName><FromUserName><![CDATA[bench]]></FromUserName><CreateTime>${timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[帮助]]></Content><MsgId>${7_000_000_000_000_000_000n + BigInt(i)}</MsgId><AgentID>1000002</AgentID></xml>`
        const req = sealWecomCallback(
          {
            token: WECOM.WECOM_TOKEN,
            encodingAesKey: WECOM.WECOM_ENCODING_AES_KEY,
            corpId: WECOM.WECOM_CORP_ID,
          },
          inner,
          { timestamp },
        )
        const query = new URLSearchParams(req.query as Record<string, string>).toString()
        return { path: `/webhooks/wecom?${query}`, body: req.rawBody.toString('utf8') }
      },
    )
    let next = 0
    const full = await loadHttp(
      t.bot.app,
      () => ({
        method: 'POST',
        headers: { 'content-type': 'text/xml' },
        ...sealed[next++ % sealed.length]!,
      }),
      { seconds },
    )
    const wrapped = next > sealed.length ? ' [ids reused: dedupe path included]' : ''
    const failed =
      full.errors + full.non2xx > 0 ? ` [${full.errors} errors, ${full.non2xx} non-2xx]` : ''
    return [
      benchLine(
        'wecom-help-path',
        `${Math.round(full.requestsPerSecond)} req/s p50 ${full.p50Ms} ms p99 ${full.p99Ms} ms${wrapped}${failed}`,
        `bare koa ${Math.round(baseline.requestsPerSecond)} req/s p99 ${baseline.p99Ms} ms`,
        full.requestsPerSecond / baseline.requestsPerSecond,
      ),
    ]
  } finally {
    await t.cleanup()
  }
}
