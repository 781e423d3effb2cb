import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { pino } from 'pino'
import { lazyChild } from '../src/log.js'

function capture() {
  const lines: Record<string, unknown>[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>)
      done()
    },
  })
  return { lines, log: pino({ level: 'info' }, stream) }
}

describe('lazyChild', () => {
  it('logs with the bindings, as the child would, and makes the child once', () => {
    const { lines, log } = capture()
    let made = 0
    const parent = new Proxy(log, {
      get(target, property, receiver) {
        if (property === 'child') made++
        return Reflect.get(target, property, receiver) as unknown
      },
    })
    const child = lazyChild(parent, { messageId: 'm-1', platform: 'wecom' })
    expect(made).toBe(0)
    child.warn({ status: 401 }, 'request refused')
    child.info('second')
    child.debug('not at info level')
    expect(made).toBe(1)
    expect(lines).toMatchObject([
      { messageId: 'm-1', platform: 'wecom', status: 401, msg: 'request refused', level: 40 },
      { messageId: 'm-1', platform: 'wecom', msg: 'second' },
    ])
    expect(child.level).toBe('info')
    expect(child.isLevelEnabled('debug')).toBe(false)
  })
})
