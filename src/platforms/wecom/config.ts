import { z } from 'zod'

/** WeCom self-built app (自建应用). All five variables or none. */
export const wecomEnvSchema = z.object({
  WECOM_CORP_ID: z
    .string()
    .regex(
      /^w[wx][0-9a-zA-Z]+$/,
      'must be the CorpID from 我的企业 → 企业信息 (starts with ww or wx)',
    ),
  WECOM_AGENT_ID: z
    .string()
    .regex(/^\d+$/, 'must be the numeric AgentId of the app (应用管理 → 自建应用)'),
  WECOM_SECRET: z.string().min(1, 'must be the app Secret'),
  WECOM_TOKEN: z
    .string()
    .regex(
      /^[A-Za-z0-9]{1,32}$/,
      'must be the Token from 接收消息 → API接收 (letters and digits, at most 32)',
    ),
  WECOM_ENCODING_AES_KEY: z
    .string()
    .regex(
      /^[A-Za-z0-9]{43}$/,
      'must be 43 letters and digits (EncodingAESKey from 接收消息 → API接收)',
    ),
})

export const WECOM_REQUIRED_VARS = Object.keys(
  wecomEnvSchema.shape,
) as (keyof typeof wecomEnvSchema.shape)[]

export interface WecomConfig {
  corpId: string
  agentId: number
  secret: string
  token: string
  encodingAesKey: string
  apiBase: string
}
