import { readFileSync } from 'node:fs'
import { parse as parseDotenv } from 'dotenv'
import { describe, expect, it } from 'vitest'
import { loadConfig, sandboxWarning } from '../src/config.js'
import { ConfigError } from '../src/errors.js'

const wecomEnv = {
  WECOM_CORP_ID: 'ww1436e0e65a779aee',
  WECOM_AGENT_ID: '1000002',
  WECOM_SECRET: 'secret',
  WECOM_TOKEN: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo',
  WECOM_ENCODING_AES_KEY: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
}

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env)
  } catch (err) {
    if (err instanceof ConfigError) return err.problems
    throw err
  }
  return []
}

describe('loadConfig', () => {
  it('when nothing is set, starts with the sandbox on and the embedded Redis', () => {
    const config = loadConfig({})

    expect(config.sandbox).toBe('on')
    expect(config.redisUrl).toBeUndefined()
    expect(config.port).toBe(3000)
    expect(config.timezone).toBe('Asia/Shanghai')
    expect(config.wecom).toBeUndefined()
    expect(config.dingtalk).toBeUndefined()
    expect(Object.isFrozen(config)).toBe(true)
  })

  it('when all WeCom variables are set, turns WeCom on and the sandbox off', () => {
    const config = loadConfig(wecomEnv)

    expect(config.wecom?.corpId).toBe('ww1436e0e65a779aee')
    expect(config.wecom?.agentId).toBe(1000002)
    expect(config.sandbox).toBe('off')
  })

  it('when WeCom is partly configured, names each missing variable', () => {
    const problems = problemsOf({ WECOM_CORP_ID: 'ww1436e0e65a779aee', WECOM_TOKEN: 'abc' })

    expect(problems.some((p) => p.startsWith('WECOM_AGENT_ID is missing'))).toBe(true)
    expect(problems.some((p) => p.startsWith('WECOM_SECRET is missing'))).toBe(true)
    expect(problems.some((p) => p.startsWith('WECOM_ENCODING_AES_KEY is missing'))).toBe(true)
  })

  it('when the EncodingAESKey is not 43 characters, says so', () => {
    const problems = problemsOf({ ...wecomEnv, WECOM_ENCODING_AES_KEY: 'short' })

    expect(problems).toEqual([expect.stringMatching(/^WECOM_ENCODING_AES_KEY must be 43/)])
  })

  it('when DingTalk has a key but no secret, names the secret', () => {
    const problems = problemsOf({ DINGTALK_APP_KEY: 'dingabc' })

    expect(problems).toEqual([expect.stringMatching(/^DINGTALK_APP_SECRET is missing/)])
  })

  it('when values are malformed, reports one line per variable', () => {
    const problems = problemsOf({ PORT: 'abc', BOT_TIMEZONE: 'Mars/Base', ADMIN_USERS: 'zhangsan' })

    expect(problems).toHaveLength(3)
    expect(problems.join('\n')).toMatch(/PORT/)
    expect(problems.join('\n')).toMatch(/BOT_TIMEZONE/)
    expect(problems.join('\n')).toMatch(/ADMIN_USERS/)
  })

  it('when the robot code is not set, uses the DingTalk AppKey', () => {
    const config = loadConfig({ DINGTALK_APP_KEY: 'dingkey', DINGTALK_APP_SECRET: 's' })

    expect(config.dingtalk?.robotCode).toBe('dingkey')
    expect(config.dingtalk?.oapiBase).toBe('https://oapi.dingtalk.com')
  })

  it('reads ADMIN_USERS with full-width commas', () => {
    expect(loadConfig({ ADMIN_USERS: 'wecom:zhangsan，sandbox:admin' }).adminUsers).toEqual([
      'wecom:zhangsan',
      'sandbox:admin',
    ])
  })
})

describe('loadConfig DingTalk mode', () => {
  it('when stream mode is asked for, turns DingTalk on in stream mode', () => {
    const config = loadConfig({
      DINGTALK_APP_KEY: 'k',
      DINGTALK_APP_SECRET: 's',
      DINGTALK_MODE: 'stream',
    })

    expect(config.dingtalk).toMatchObject({ appKey: 'k', mode: 'stream' })
  })

  it('when the mode is neither http nor stream, names the variable and the choices', () => {
    const problems = problemsOf({
      DINGTALK_APP_KEY: 'k',
      DINGTALK_APP_SECRET: 's',
      DINGTALK_MODE: 'websocket',
    })

    expect(problems).toEqual([expect.stringMatching(/DINGTALK_MODE.*http or stream/)])
  })
})

describe('loadConfig sandbox access (gh-10)', () => {
  it('when SANDBOX=public has no SANDBOX_TOKEN, refuses to start naming the variable', () => {
    const problems = problemsOf({ SANDBOX: 'public' })

    expect(problems).toEqual([expect.stringMatching(/^SANDBOX_TOKEN is missing: SANDBOX=public/)])
  })

  it('when SANDBOX_TOKEN is shorter than 16 characters, says how long it must be', () => {
    const problems = problemsOf({ SANDBOX: 'public', SANDBOX_TOKEN: 'short' })

    expect(problems).toEqual([expect.stringMatching(/^SANDBOX_TOKEN must be at least 16/)])
  })

  it('when SANDBOX=public has its token, starts with it', () => {
    const config = loadConfig({ SANDBOX: 'public', SANDBOX_TOKEN: 'demo-token-0123456789' })

    expect(config.sandbox).toBe('public')
    expect(config.sandboxToken).toBe('demo-token-0123456789')
  })

  it('when the sandbox is on beside a platform, warns at start naming it', () => {
    const warning = sandboxWarning(loadConfig({ ...wecomEnv, SANDBOX: 'on' }))

    expect(warning).toMatch(/^SECURITY: the sandbox chat is on alongside WeCom/)
    expect(warning).toContain('SANDBOX=off')
  })

  it('when the sandbox is the only way in, or off, does not warn', () => {
    expect(sandboxWarning(loadConfig({}))).toBeUndefined()
    expect(sandboxWarning(loadConfig(wecomEnv))).toBeUndefined()
  })
})

describe('.env.example', () => {
  it('makes no one an administrator by default (gh-10)', () => {
    const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8')

    expect(loadConfig(parseDotenv(example)).adminUsers).toEqual([])
  })
})
