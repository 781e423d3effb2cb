import lunar from 'lunar-javascript'

// lunar-javascript (6tail, MIT, no dependencies) carries the lunar tables from 1900 to
// 2100; 春节 is never typed by hand (domain.md).
const { Lunar } = lunar

/** 正月初一 of lunar year `year`, as a Gregorian `YYYY-MM-DD` (2027 → 2027-02-06). */
export function lunarNewYear(year: number): string {
  return Lunar.fromYmd(year, 1, 1).getSolar().toYmd()
}
