// lunar-javascript ships no type declarations; this covers the part the bot uses.
declare module 'lunar-javascript' {
  interface Solar {
    toYmd(): string
  }
  interface Lunar {
    getSolar(): Solar
    getYear(): number
  }
  interface LunarMonth {
    getDayCount(): number
  }
  const lunar: {
    Lunar: { fromYmd(year: number, month: number, day: number): Lunar }
    Solar: { fromYmd(year: number, month: number, day: number): { getLunar(): Lunar } }
    /** A leap month is asked for by its negative number (闰六月 = -6); null when absent. */
    LunarYear: { fromYear(year: number): { getMonth(month: number): LunarMonth | null } }
  }
  export default lunar
}
