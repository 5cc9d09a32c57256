/**
 * GS1 six-digit dates (YYMMDD). The century follows GS1 General Specifications 7.12: a year more
 * than 50 years ahead belongs to the previous century, one more than 49 years back to the next.
 * DD = 00 means the last day of that month.
 */
export function parseGs1Date(yymmdd: string, today: Date): string | null {
  if (!/^\d{6}$/.test(yymmdd)) return null
  const yy = Number(yymmdd.slice(0, 2))
  const mm = Number(yymmdd.slice(2, 4))
  const dd = Number(yymmdd.slice(4, 6))
  const thisYear = today.getUTCFullYear()
  const diff = yy - (thisYear % 100)
  const century = Math.floor(thisYear / 100) + (diff >= 51 ? -1 : diff <= -50 ? 1 : 0)
  const year = century * 100 + yy
  if (mm < 1 || mm > 12) return null
  const lastDay = new Date(Date.UTC(year, mm, 0)).getUTCDate()
  const day = dd === 0 ? lastDay : dd
  if (day > lastDay) return null
  return `${year}-${String(mm).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}
