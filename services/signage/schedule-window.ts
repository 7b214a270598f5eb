import type { Schedule } from '../../core/contracts/signage.js';

/** Is `now` inside the schedule's daily window (which may run past midnight)? */
export function inScheduleWindow(s: Schedule, now: number): boolean {
  let parts: Record<string, string>;
  try {
    parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-GB', { timeZone: s.timeZone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit', weekday: 'short' })
        .formatToParts(new Date(now))
        .map((p) => [p.type, p.value]),
    );
  } catch {
    return false;
  }
  const minute = Number(parts.hour) * 60 + Number(parts.minute);
  const day = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday) + 1;
  const toMin = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const from = toMin(s.from);
  const to = toMin(s.to);
  if (from === to) return !s.days || s.days.includes(day);
  if (from < to) return minute >= from && minute < to && (!s.days || s.days.includes(day));
  // overnight: the evening part counts for the day it starts, the morning part for the day before
  if (minute >= from) return !s.days || s.days.includes(day);
  if (minute < to) return !s.days || s.days.includes(day === 1 ? 7 : day - 1);
  return false;
}
