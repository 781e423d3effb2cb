import { timingSafeEqual } from 'node:crypto'
import { parseXml, type XmlElement } from '@rgrove/parse-xml'
import { decrypt, encrypt, getSignature } from '@wecom/crypto'
import Koa from 'koa'
import getRawBody from 'raw-body'
import { loadHttp, type HttpFigure } from './support.js'

/**
 * The WeCom protocol and nothing else, in the smallest Koa app that does it right: read the
 * body, check msg_signature, decrypt, parse both XML documents, encrypt and sign a reply. No
 * router, logging, metrics, schema or Redis. What a write path costs beyond this is ours
 * (issue 10: the write path is to reach 0.3 of it).
 */
export async function minimalWecomFloor(
  seconds: number,
  env: { WECOM_TOKEN: string; WECOM_ENCODING_AES_KEY: string; WECOM_CORP_ID: string },
  requests: Parameters<typeof loadHttp>[1],
  replyText: string,
): Promise<HttpFigure> {
  const app = new Koa()
  app.use(async (ctx) => {
    const body = await getRawBody(ctx.req, { limit: '1mb', encoding: 'utf8' })
    const q = ctx.query as Record<string, string>
    const envelope = parseXml(body).root!
    const encrypted = textOf(envelope, 'Encrypt')
    const expected = getSignature(env.WECOM_TOKEN, q.timestamp!, q.nonce!, encrypted)
    const given = String(q.msg_signature)
    if (
      given.length !== expected.length ||
      !timingSafeEqual(Buffer.from(given), Buffer.from(expected))
    ) {
      ctx.status = 401
      return
    }
    const inner = parseXml(decrypt(env.WECOM_ENCODING_AES_KEY, encrypted).message).root!
    const reply = `<xml><ToUserName><![CDATA[${textOf(inner, 'FromUserName')}]]></ToUserName><FromUserName><![CDATA[${env.WECOM_CORP_ID}]]></FromUserName><CreateTime>${q.timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${replyText}]]></Content></xml>`
    const sealed = encrypt(env.WECOM_ENCODING_AES_KEY, reply, env.WECOM_CORP_ID)
    const signature = getSignature(env.WECOM_TOKEN, q.timestamp!, q.nonce!, sealed)
    ctx.type = 'application/xml'
    ctx.body = `<xml><Encrypt><![CDATA[${sealed}]]></Encrypt><MsgSignature><![CDATA[${signature}]]></MsgSignature><TimeStamp>${q.timestamp}</TimeStamp><Nonce><![CDATA[${q.nonce}]]></Nonce></xml>`
  })
  return loadHttp(app, requests, { seconds })
}

function textOf(root: XmlElement, name: string): string {
  const child = root.children.find(
    (c): c is XmlElement => c instanceof Object && 'name' in c && c.name === name,
  )
  return child?.text ?? ''
}
