import { z } from 'zod'

/**
 * A reply with structure: what a command says, not how a surface shows it. Plain JSON, since
 * replies travel through BullMQ (reply-queue.ts) and the sandbox outbox as they are. Each
 * surface renders it (render-plain.ts, render-markdown.ts, the sandbox page); docs/replies.md.
 */
export interface ReplyLayout {
  /** The first line: what the reply is about (`2026 八一走访（进行中）`). */
  title: string
  blocks: ReplyBlock[]
}

/** Lines read one after another (a paragraph), or rows of one figure per village or kind. */
export type ReplyBlock = LinesBlock | RowsBlock

export interface LinesBlock {
  lines: string[]
}

export interface RowsBlock {
  /** What the cells mean, said once above the rows (`各村（已访/应访，完成率，慰问金）：`). */
  caption: string
  rows: ReplyRow[]
}

/** `铁炉嘴村` with `8/9 户`, `89%`, `4,000 元`: each cell carries its own unit. */
export interface ReplyRow {
  name: string
  cells: string[]
}

export const replyLayoutSchema: z.ZodType<ReplyLayout> = z.object({
  title: z.string(),
  blocks: z.array(
    z.union([
      z.object({ lines: z.array(z.string()) }),
      z.object({
        caption: z.string(),
        rows: z.array(z.object({ name: z.string(), cells: z.array(z.string()) })),
      }),
    ]),
  ),
})

export function isRowsBlock(block: ReplyBlock): block is RowsBlock {
  return 'rows' in block
}
