import { decrypt, getSignature } from '@wecom/crypto'
import { XMLParser } from 'fast-xml-parser'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { WebhookAuthError, WebhookPayloadError } from '../../../src/errors.js'
import { createSilentLogger } from '../../../src/log.js'
import type { IncomingMessage, RawWebhook } from '../../../src/platforms/types.js'
import { WecomAdapter } from '../../../src/platforms/wecom/adapter.js'
import { WecomClient } from '../../../src/platforms/wecom/client.js'
import type { WecomConfig } from '../../../src/platforms/wecom/config.js'
import { RedisTokenCache } from '../../../src/records/token-cache.js'
import { envelopeXml, V1, V2, V3, V4 } from '../../fixtures/wecom/vectors.js'
import { sealWecomCallback, startFakeWecom, type FakeWecom } from '../../support/fake-wecom.js'
import { useTestRedis } from '../../support/redis.js'
import { replyOf } from '../../../src/replies/reply-of.js'

const SECRET = 'test-secret'
const MINUTE_MS = 60_000

let fake: FakeWecom
let redis: Awaited<ReturnType<typeof useTestRedis>>

beforeEach(async () => {
  redis = await useTestRedis()
  fake = await startFakeWecom({ corpId: V3.keys.corpId, secret: SECRET, agentId: V4.agentId })
})

afterEach(async () => {
  await fake.close()
  await redis.cleanup()
})

function configFor(keys: typeof V3.keys, agentId: number): WecomConfig {
  return {
    corpId: keys.corpId,
    agentId,
    secret: SECRET,
    token: keys.token,
    encodingAesKey: keys.encodingAesKey,
    apiBase: fake.url,
  }
}

/** An adapter for the V3/V4 app whose clock reads `at` (Unix seconds) plus `skewMs`. */
function adapterAt(at: string, skewMs = 0, keys = V3.keys, agentId = V4.agentId): WecomAdapter {
  const config = configFor(keys, agentId)
  const log = createSilentLogger()
  const client = new WecomClient({
    config,
    tokens: new RedisTokenCache(redis.redis, redis.keys),
    log,
  })
  return new WecomAdapter({
    config,
    client,
    log,
    now: () => new Date(Number(at) * 1000 + skewMs),
  })
}

function getRequest(vector: typeof V1 | typeof V3, echostr: string): RawWebhook {
  return {
    method: 'GET',
    query: {
      msg_signature: vector.signature,
      timestamp: vector.timestamp,
      nonce: vector.nonce,
      echostr,
    },
    headers: {},
    rawBody: Buffer.alloc(0),
  }
}

function postRequest(vector: typeof V2 | typeof V4): RawWebhook {
  return {
    method: 'POST',
    query: { msg_signature: vector.signature, timestamp: vector.timestamp, nonce: vector.nonce },
    headers: { 'content-type': 'text/xml' },
    rawBody: Buffer.from(envelopeXml(vector.keys.corpId, vector.encrypted, vector.agentId)),
  }
}

const NOW = '1700000000'

function seal(inner: string, options: { receiveId?: string; keys?: typeof V3.keys } = {}) {
  return sealWecomCallback(options.keys ?? V3.keys, inner, {
    timestamp: NOW,
    ...(options.receiveId === undefined ? {} : { receiveId: options.receiveId }),
  })
}

function innerXml(fields: Record<string, string>): string {
  const body = Object.entries(fields)
    .map(([name, value]) => `<${name}><![CDATA[${value}]]></${name}>`)
    .join('')
  return `<xml><ToUserName><![CDATA[${V3.keys.corpId}]]></ToUserName>${body}</xml>`
}

/** A billion-laughs document: ten levels of ten-fold entity expansion. */
function entityBomb(root: string): string {
  const entities = ['<!ENTITY lol0 "lol">']
  for (let level = 1; level <= 9; level += 1) {
    entities.push(`<!ENTITY lol${level} "${`&lol${level - 1};`.repeat(10)}">`)
  }
  return `<?xml version="1.0"?><!DOCTYPE ${root} [${entities.join('')}]><${root}><Encrypt>&lol9;</Encrypt></${root}>`
}

describe('WecomAdapter.verifyUrl', () => {
  it('when given official vector V1, answers the echo 1288432023552776189', () => {
    const adapter = adapterAt(V1.timestamp, 30_000, V1.keys, 1000002)

    expect(adapter.verifyUrl(getRequest(V1, V1.echostr))).toBe(V1.echo)
  })

  it('when given official vector V3 URL-decoded from the wire, answers 1616140317555161061', () => {
    const adapter = adapterAt(V3.timestamp, -30_000)

    expect(adapter.verifyUrl(getRequest(V3, decodeURIComponent(V3.echostrOnWire)))).toBe(V3.echo)
  })

  it('when the signature is forged, throws WebhookAuthError', () => {
    const adapter = adapterAt(V3.timestamp)
    const request = getRequest(V3, V3.echostr)
    request.query.msg_signature = '0'.repeat(40)

    expect(() => adapter.verifyUrl(request)).toThrow(WebhookAuthError)
  })

  it('when the timestamp is 11 minutes old, throws WebhookAuthError', () => {
    const adapter = adapterAt(V3.timestamp, 11 * MINUTE_MS)

    expect(() => adapter.verifyUrl(getRequest(V3, V3.echostr))).toThrow(WebhookAuthError)
  })

  it('when echostr is missing, throws WebhookAuthError', () => {
    const adapter = adapterAt(V3.timestamp)

    expect(() => adapter.verifyUrl(getRequest(V3, ''))).toThrow(WebhookAuthError)
  })
})

describe('WecomAdapter.receive', () => {
  it('when given official vector V2, yields the text message from ChenJiaShun', async () => {
    const adapter = adapterAt(V2.timestamp, 0, V2.keys, V2.agentId)

    const message = await adapter.receive(postRequest(V2))

    expect(message).toEqual({
      platform: 'wecom',
      messageId: '1456453720',
      chat: { platform: 'wecom', chatId: 'ChenJiaShun', isGroup: false },
      sender: { userId: 'ChenJiaShun' },
      text: '你好',
      receivedAt: new Date(1476422779 * 1000),
    })
  })

  it('when given official vector V4, keeps the 64-bit MsgId as a string', async () => {
    const adapter = adapterAt(V4.timestamp)

    const message = await adapter.receive(postRequest(V4))

    expect(message?.messageId).toBe('4561255354251345929')
    expect(message?.text).toBe('hello')
    expect(message?.sender.userId).toBe('mycreate')
  })

  it('when the timestamp is 11 minutes old, throws WebhookAuthError', async () => {
    const adapter = adapterAt(V4.timestamp, 11 * MINUTE_MS)

    await expect(adapter.receive(postRequest(V4))).rejects.toThrow(WebhookAuthError)
  })

  it('when the timestamp is 11 minutes ahead, throws WebhookAuthError', async () => {
    const adapter = adapterAt(V4.timestamp, -11 * MINUTE_MS)

    await expect(adapter.receive(postRequest(V4))).rejects.toThrow(WebhookAuthError)
  })

  it('when the signature is forged, throws WebhookAuthError', async () => {
    const adapter = adapterAt(V4.timestamp)
    const request = postRequest(V4)
    request.query.msg_signature = getSignature('guessed', V4.timestamp, V4.nonce, V4.encrypted)

    await expect(adapter.receive(request)).rejects.toThrow(WebhookAuthError)
  })

  it('when the query parameters are missing, throws WebhookAuthError', async () => {
    const adapter = adapterAt(V4.timestamp)
    const request = postRequest(V4)
    request.query = {}

    await expect(adapter.receive(request)).rejects.toThrow(WebhookAuthError)
  })

  it('when the ciphertext was made for another CorpID, throws WebhookAuthError', async () => {
    const adapter = adapterAt(NOW)
    const request = seal(innerXml({ FromUserName: 'zhangsan', MsgType: 'text' }), {
      receiveId: 'wwsomeoneelse',
    })

    await expect(adapter.receive(request)).rejects.toThrow(WebhookAuthError)
  })

  it('when the ciphertext was made with another key, throws WebhookAuthError', async () => {
    const adapter = adapterAt(NOW)
    const keys = { ...V3.keys, encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' }

    await expect(adapter.receive(seal('<xml/>', { keys }))).rejects.toThrow(WebhookAuthError)
  })

  it('when the body is not XML, throws WebhookPayloadError', async () => {
    const adapter = adapterAt(V4.timestamp)
    const request = { ...postRequest(V4), rawBody: Buffer.from('{"encrypt":"abc"}') }

    await expect(adapter.receive(request)).rejects.toThrow(WebhookPayloadError)
  })

  it('when the XML is unclosed, throws WebhookPayloadError', async () => {
    const adapter = adapterAt(V4.timestamp)
    const request = { ...postRequest(V4), rawBody: Buffer.from('<xml><Encrypt>abc</xml>') }

    await expect(adapter.receive(request)).rejects.toThrow(WebhookPayloadError)
  })

  it('when Encrypt is missing, throws WebhookPayloadError', async () => {
    const adapter = adapterAt(V4.timestamp)
    const body = '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName></xml>'
    const request = { ...postRequest(V4), rawBody: Buffer.from(body) }

    await expect(adapter.receive(request)).rejects.toThrow(WebhookPayloadError)
  })

  it('when the body is an entity bomb, throws WebhookPayloadError', async () => {
    const adapter = adapterAt(V4.timestamp)
    const request = { ...postRequest(V4), rawBody: Buffer.from(entityBomb('xml')) }

    const error = await adapter.receive(request).catch((err: unknown) => err)

    expect(error).toBeInstanceOf(WebhookPayloadError)
    expect(error).toHaveProperty('message', expect.stringContaining('DOCTYPE or ENTITY'))
  })

  it('when the decrypted message is an entity bomb, throws WebhookPayloadError', async () => {
    const adapter = adapterAt(NOW)

    const error = await adapter.receive(seal(entityBomb('xml'))).catch((err: unknown) => err)

    expect(error).toBeInstanceOf(WebhookPayloadError)
    expect(error).toHaveProperty('message', expect.stringContaining('DOCTYPE or ENTITY'))
  })

  it('when the message is an image, yields undefined', async () => {
    const adapter = adapterAt(NOW)
    const inner = innerXml({
      FromUserName: 'zhangsan',
      CreateTime: NOW,
      MsgType: 'image',
      PicUrl: 'http://example.invalid/a.jpg',
      MediaId: 'media',
      MsgId: '1234567',
    })

    expect(await adapter.receive(seal(inner))).toBeUndefined()
  })

  it('when the event is a menu click, yields undefined', async () => {
    const adapter = adapterAt(NOW)
    const inner = innerXml({
      FromUserName: 'zhangsan',
      CreateTime: NOW,
      MsgType: 'event',
      Event: 'click',
      EventKey: 'menu1',
    })

    expect(await adapter.receive(seal(inner))).toBeUndefined()
  })

  it('when the member opens the app, yields an enter event keyed by user and time', async () => {
    const adapter = adapterAt(NOW)
    const inner = innerXml({
      FromUserName: 'zhangsan',
      CreateTime: NOW,
      MsgType: 'event',
      Event: 'enter_agent',
      EventKey: '',
    })

    const message = await adapter.receive(seal(inner))

    expect(message).toMatchObject({
      messageId: `event-zhangsan-${NOW}`,
      text: '',
      event: { type: 'enter' },
      chat: { platform: 'wecom', chatId: 'zhangsan', isGroup: false },
    })
  })

  it('when a card is submitted with one SelectedItem, yields one selection as an array', async () => {
    const adapter = adapterAt(NOW)
    const inner =
      `<xml><ToUserName><![CDATA[${V3.keys.corpId}]]></ToUserName>` +
      `<FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>${NOW}</CreateTime>` +
      '<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[template_card_event]]></Event>' +
      '<EventKey><![CDATA[submit]]></EventKey><TaskId><![CDATA[visit-42]]></TaskId>' +
      '<CardType><![CDATA[vote_interaction]]></CardType><ResponseCode><![CDATA[rc]]></ResponseCode>' +
      '<AgentID>218</AgentID><SelectedItems><SelectedItem><QuestionKey><![CDATA[outcome]]></QuestionKey>' +
      '<OptionIds><OptionId><![CDATA[done]]></OptionId></OptionIds></SelectedItem></SelectedItems></xml>'

    const message = await adapter.receive(seal(inner))

    expect(message?.event).toEqual({
      type: 'card_action',
      key: 'submit',
      taskId: 'visit-42',
      selections: [{ question: 'outcome', options: ['done'] }],
    })
  })

  it('when a card is submitted with two SelectedItem, yields both in order', async () => {
    const adapter = adapterAt(NOW)
    // The official path/90240 sample.
    const inner = `<xml><ToUserName><![CDATA[${V3.keys.corpId}]]></ToUserName>
<FromUserName><![CDATA[sys]]></FromUserName>
<CreateTime>${NOW}</CreateTime>
<MsgType><![CDATA[event]]></MsgType>
<Event><![CDATA[template_card_event]]></Event>
<EventKey><![CDATA[key111]]></EventKey>
<TaskId><![CDATA[taskid111]]></TaskId>
<CardType><![CDATA[text_notice]]></CardType>
<ResponseCode><![CDATA[ResponseCode]]></ResponseCode>
<AgentID>1</AgentID>
<SelectedItems>
  <SelectedItem>
    <QuestionKey><![CDATA[QuestionKey1]]></QuestionKey>
    <OptionIds>
      <OptionId><![CDATA[OptionId1]]></OptionId>
      <OptionId><![CDATA[OptionId2]]></OptionId>
    </OptionIds>
  </SelectedItem>
  <SelectedItem>
    <QuestionKey><![CDATA[QuestionKey2]]></QuestionKey>
    <OptionIds>
      <OptionId><![CDATA[OptionId3]]></OptionId>
      <OptionId><![CDATA[OptionId4]]></OptionId>
    </OptionIds>
  </SelectedItem>
</SelectedItems>
</xml>`

    const message = await adapter.receive(seal(inner))

    expect(message).toMatchObject({
      messageId: `event-sys-${NOW}`,
      event: {
        type: 'card_action',
        key: 'key111',
        taskId: 'taskid111',
        selections: [
          { question: 'QuestionKey1', options: ['OptionId1', 'OptionId2'] },
          { question: 'QuestionKey2', options: ['OptionId3', 'OptionId4'] },
        ],
      },
    })
  })
})

/** `<a>` nested `depth` times around `inside`: the tester's stack overflow (issue 10). */
function nested(depth: number, inside = ''): string {
  return `${'<a>'.repeat(depth)}${inside}${'</a>'.repeat(depth)}`
}

/** A POST whose body is `body` and whose query signs `signedEncrypt` as WeCom would. */
function signedBody(body: string, signedEncrypt: string): RawWebhook {
  const nonce = '1372623149'
  return {
    method: 'POST',
    query: {
      msg_signature: getSignature(V3.keys.token, NOW, nonce, signedEncrypt),
      timestamp: NOW,
      nonce,
    },
    headers: { 'content-type': 'text/xml' },
    rawBody: Buffer.from(body, 'utf8'),
  }
}

describe('WecomAdapter.receive on hostile bodies (gh-10)', () => {
  it('when an unsigned body nests 10,000 deep, throws WebhookPayloadError, not a stack overflow', async () => {
    const adapter = adapterAt(V4.timestamp)
    const request = { ...postRequest(V4), rawBody: Buffer.from(`<xml>${nested(10_000)}</xml>`) }

    const error = await adapter.receive(request).catch((err: unknown) => err)

    expect(error).toBeInstanceOf(WebhookPayloadError)
    expect(error).toHaveProperty('message', expect.stringContaining('nested too deep'))
  })

  it('when a signed envelope nests 10,000 deep beside its Encrypt, throws WebhookPayloadError', async () => {
    const adapter = adapterAt(V4.timestamp)
    const deep = `<xml><Encrypt><![CDATA[${V4.encrypted}]]></Encrypt>${nested(10_000)}</xml>`
    const request = { ...postRequest(V4), rawBody: Buffer.from(deep) }

    await expect(adapter.receive(request)).rejects.toThrow(/nested too deep/)
  })

  it('when the signed, decrypted message nests 10,000 deep, throws WebhookPayloadError', async () => {
    const adapter = adapterAt(NOW)

    const error = await adapter
      .receive(seal(`<xml>${nested(10_000, 'x')}</xml>`))
      .catch((err: unknown) => err)

    expect(error).toBeInstanceOf(WebhookPayloadError)
    expect(error).toHaveProperty('message', expect.stringContaining('decrypted message is nested'))
  })

  it('when the decrypted message nests one level past the limit (17), refuses it', async () => {
    const adapter = adapterAt(NOW)

    await expect(adapter.receive(seal(`<xml>${nested(16, 'x')}</xml>`))).rejects.toThrow(
      /decrypted message is nested too deep/,
    )
  })

  it('when quoted attributes hide the nesting from a naive scan, still counts every level', async () => {
    const adapter = adapterAt(NOW)
    const hidden = `${'<a x="/>">'.repeat(10_000)}${'</a>'.repeat(10_000)}`

    await expect(adapter.receive(seal(`<xml>${hidden}</xml>`))).rejects.toThrow(/nested too deep/)
  })

  it('when the signed, decrypted message is over 256 KiB, throws WebhookPayloadError', async () => {
    const adapter = adapterAt(NOW)
    const inner = innerXml({ FromUserName: 'zhangsan', MsgType: 'text', MsgId: '1' })
    const padded = inner.replace('</xml>', `<Content>${'x'.repeat(300 * 1024)}</Content></xml>`)

    await expect(adapter.receive(seal(padded))).rejects.toThrow(/too large/)
  })

  it('when a WeCom message nests 5 deep (a card event), still reads it', async () => {
    const adapter = adapterAt(NOW)
    const inner = innerXml({
      FromUserName: 'sys',
      MsgType: 'event',
      Event: 'template_card_event',
      TaskId: 't',
    })
    const items =
      '<SelectedItems><SelectedItem><QuestionKey>q</QuestionKey><OptionIds><OptionId>o</OptionId>' +
      '</OptionIds></SelectedItem></SelectedItems>'

    const message = await adapter.receive(seal(inner.replace('</xml>', `${items}</xml>`)))

    expect(message?.event).toMatchObject({ selections: [{ question: 'q', options: ['o'] }] })
  })

  it('when the body has no Encrypt, throws WebhookPayloadError before any signature check', async () => {
    const adapter = adapterAt(NOW)

    await expect(
      adapter.receive(signedBody('<xml><ToUserName>ww</ToUserName></xml>', '')),
    ).rejects.toThrow(WebhookPayloadError)
  })

  it('when the signed Encrypt text holds a character reference, refuses it rather than resolving it', async () => {
    const adapter = adapterAt(NOW)
    const raw = 'QUFB&#61;'

    await expect(
      adapter.receive(signedBody(`<xml><Encrypt>${raw}</Encrypt></xml>`, raw)),
    ).rejects.toThrow(/must be base64/)
  })

  it('when the signature covers another Encrypt than the body holds, throws WebhookAuthError', async () => {
    const adapter = adapterAt(NOW)

    await expect(
      adapter.receive(signedBody('<xml><Encrypt>QUFB</Encrypt></xml>', 'QkJC')),
    ).rejects.toThrow(WebhookAuthError)
  })
})

const replyParser = new XMLParser({ parseTagValue: false, processEntities: false })

function incoming(userId: string): IncomingMessage {
  return {
    platform: 'wecom',
    messageId: '4561255354251345929',
    chat: { platform: 'wecom', chatId: userId, isGroup: false },
    sender: { userId },
    text: '帮助',
    receivedAt: new Date(Number(NOW) * 1000),
  }
}

describe('WecomAdapter.respond', () => {
  it('when the reply is short, answers an encrypted passive reply addressed to the sender', async () => {
    const adapter = adapterAt(NOW)

    const response = await adapter.respond(incoming('zhangsan'), [
      { text: '已登记 #12' },
      replyOf('下一步：补充备注 ]]> 也无妨', [
        { caption: '各村：', rows: [{ name: '石门村', cells: ['3/4 户'] }] },
      ]),
    ])

    expect(response).toMatchObject({ status: 200, contentType: 'application/xml' })
    const outer = replyParser.parse(response.body).xml as Record<string, string>
    expect(outer.MsgSignature).toBe(
      getSignature(V3.keys.token, outer.TimeStamp ?? '', outer.Nonce ?? '', outer.Encrypt ?? ''),
    )
    expect(outer.TimeStamp).toBe(NOW)
    const { message, id } = decrypt(V3.keys.encodingAesKey, outer.Encrypt ?? '')
    expect(id).toBe(V3.keys.corpId)
    expect(replyParser.parse(message).xml).toEqual({
      ToUserName: 'zhangsan',
      FromUserName: V3.keys.corpId,
      CreateTime: NOW,
      MsgType: 'text',
      // Plain text, the layout's rows as aligned lines: passive replies have no markdown.
      Content: '已登记 #12\n\n下一步：补充备注 ]]> 也无妨\n\n各村：\n石门村　3/4 户',
    })
  })

  it('when the reply exceeds 2048 bytes, acknowledges empty and pushes it in line-aligned chunks', async () => {
    const adapter = adapterAt(NOW)
    const lines = Array.from({ length: 120 }, (_, i) => `${i + 1}. 铁炉嘴村 张三 未走访（八一）`)
    const text = lines.join('\n')
    const assembled = () => fake.received.messages.map((m) => m.content).join('\n') === text

    const response = await adapter.respond(incoming('zhangsan'), [{ text }])
    await fake.waitFor(() => assembled())

    expect(response).toEqual({ status: 200, body: '' })
    expect(fake.received.messages.length).toBeGreaterThan(1)
    for (const sent of fake.received.messages) {
      expect(sent).toMatchObject({ touser: 'zhangsan', msgtype: 'text' })
      expect(Buffer.byteLength(sent.content)).toBeLessThanOrEqual(2048)
      expect(sent.content.split('\n').every((line) => lines.includes(line))).toBe(true)
    }
  })

  it('when there is nothing to say, acknowledges with an empty body', async () => {
    const adapter = adapterAt(NOW)

    expect(await adapter.respond(incoming('zhangsan'), [])).toEqual({ status: 200, body: '' })
  })
})

describe('WecomAdapter.send', () => {
  it('when the reply has a layout, pushes its plain rendering as a text app message', async () => {
    const adapter = adapterAt(NOW)

    await adapter.send(
      { platform: 'wecom', chatId: 'lisi', isGroup: false },
      replyOf('提醒 八一走访还剩 3 天', [
        { caption: '未走访：', rows: [{ name: '石门村', cells: ['2 户'] }] },
      ]),
    )

    // Markdown app messages show only in the WeCom client, not to members on WeChat.
    expect(fake.received.messages).toEqual([
      {
        touser: 'lisi',
        msgtype: 'text',
        agentid: V4.agentId,
        content: '提醒 八一走访还剩 3 天\n\n未走访：\n石门村　2 户',
      },
    ])
  })
})
