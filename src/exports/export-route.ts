import { PassThrough, type Readable } from 'node:stream'
import type { Logger } from '../log.js'
import { localDateOf } from '../time/local-date.js'
import { ExportLinkError, type ExportLinks } from './export-link.js'
import type { XlsxExporter } from './xlsx-export.js'
import type { Clock } from '../time/clock.js'

/** What `GET /exports/:token` answers: a file to download or a page saying why not. */
export interface Download {
  status: number
  contentType: string
  body: string | Readable
  /** Set for a file: the name the browser saves it under. */
  filename?: string
}

export interface ExportDownloadsDeps {
  links: ExportLinks
  exporter: XlsxExporter
  log: Logger
  timezone: string
  now: Clock
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

function page(title: string, advice: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title></head><body style="font-family:sans-serif;padding:2em;line-height:1.6"><h1 style="font-size:1.3em">${title}</h1><p>${advice}</p></body></html>`
}

const REFUSED: Record<ExportLinkError['reason'], Download> = {
  forged: {
    status: 403,
    contentType: 'text/html; charset=utf-8',
    body: page(
      '下载链接无效',
      '链接不完整或已被改动。请在聊天中重新发送导出命令（如「导出 台账 2026」）获取新链接。',
    ),
  },
  expired: {
    status: 410,
    contentType: 'text/html; charset=utf-8',
    body: page(
      '下载链接已过期',
      '链接 15 分钟内有效。请在聊天中重新发送导出命令（如「导出 台账 2026」）获取新链接。',
    ),
  },
}

/**
 * The handler behind `GET /exports/:token`: checks the signed link, then streams the xlsx
 * while it is generated from the store. A store failure after the first bytes cuts the
 * download short (the browser reports it failed) and is logged; it never sends a partial file
 * as complete, because the zip's central directory is written last.
 */
export function createExportDownloads(
  deps: ExportDownloadsDeps,
): (token: string) => Promise<Download> {
  const log = deps.log.child({ logger: 'bot:exports' })
  const now = deps.now
  return async (token) => {
    const at = now()
    let request
    try {
      request = deps.links.open(token, at)
    } catch (err) {
      if (!(err instanceof ExportLinkError)) throw err
      log.warn({ reason: err.reason }, 'export link refused')
      return REFUSED[err.reason]
    }
    log.info(
      {
        kind: request.kind,
        year: request.year,
        villages: request.villages,
        reveal: request.reveal,
        by: request.by,
      },
      'export download',
    )
    const body = new PassThrough()
    const today = localDateOf(at, deps.timezone)
    deps.exporter.write(request, body, today).catch((err: unknown) => {
      log.error({ err, kind: request.kind, by: request.by }, 'export failed while streaming')
      body.destroy(err instanceof Error ? err : new Error(String(err)))
    })
    return {
      status: 200,
      contentType: XLSX_TYPE,
      body,
      filename: deps.exporter.filename(request, today),
    }
  }
}
