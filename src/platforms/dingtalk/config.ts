import { z } from 'zod'

/** DingTalk enterprise-internal app robot (企业内部应用机器人). Key and secret together, or neither. */
export const dingtalkEnvSchema = z.object({
  DINGTALK_APP_KEY: z.string().min(1, 'must be the AppKey (Client ID) from 凭证与基础信息'),
  DINGTALK_APP_SECRET: z
    .string()
    .min(1, 'must be the AppSecret (Client Secret) from 凭证与基础信息'),
})

export const DINGTALK_REQUIRED_VARS = Object.keys(
  dingtalkEnvSchema.shape,
) as (keyof typeof dingtalkEnvSchema.shape)[]

export interface DingtalkConfig {
  appKey: string
  appSecret: string
  robotCode: string
  mode: 'http' | 'stream'
  apiBase: string
  oapiBase: string
}
