/**
 * How wide text is on a phone, in half-width columns: a Chinese character (or full-width
 * punctuation) takes two, an ASCII letter or digit one. A chat bubble on a phone holds about
 * 20 Chinese characters, so REPLY_WIDTH columns (docs/replies.md).
 */
export const REPLY_WIDTH = 40

// East Asian Wide and Fullwidth ranges, plus the general punctuation (—, …, “”) Chinese fonts
// draw full width: counting them wide errs on the side of a line that fits.
const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x2010, 0x2027],
  [0x2e80, 0x303e],
  [0x3040, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1faff],
  [0x20000, 0x3fffd],
]

function isWide(codePoint: number): boolean {
  return WIDE.some(([from, to]) => codePoint >= from && codePoint <= to)
}

/** The columns `text` takes (one line; a newline counts as nothing). */
export function displayWidth(text: string): number {
  let width = 0
  for (const ch of text) {
    const cp = ch.codePointAt(0)!
    if (cp === 0x0a) continue
    width += isWide(cp) ? 2 : 1
  }
  return width
}
