// lunar-javascript ships no type declarations; this covers the part the bot uses.
declare module 'lunar-javascript' {
  interface Solar {
    toYmd(): string
  }
  interface Lunar {
    getSolar(): Solar
  }
  const lunar: {
    Lunar: { fromYmd(year: number, month: number, day: number): Lunar }
    Solar: { fromYmd(year: number, month: number, day: number): { getLunar(): Lunar } }
  }
  export default lunar
}
