// A number's automatic messages (issue: WhatsApp numbers): the greeting to a client's very first
// message, the away message when a conversation opens outside business hours, and the plain
// auto-reply when one opens inside them (or when the number keeps no hours). A client new to the
// business gets the greeting instead of the auto-reply, and the away message as well when the
// business is closed. They are decided in the inbound transaction that opens the conversation,
// so a webhook delivered again (one stored message per wamid) never sends them twice.
import type { WeeklySchedule } from '../whatsapp/whatsapp.tables.ts';

export type AutoReplyKind = 'greeting' | 'away' | 'auto_reply';

export interface AutoReplySettings {
  greetingMessage: string | null;
  awayMessage: string | null;
  autoReplyMessage: string | null;
  businessHours: WeeklySchedule | null;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const formats = new Map<string, Intl.DateTimeFormat>();

/** ISO weekday and `HH:MM` at `at` in the time zone. */
export function localWeekTime(at: Date, timeZone: string): { day: number; time: string } {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  return { day: WEEKDAYS[parts['weekday'] ?? ''] ?? 0, time: `${parts['hour']}:${parts['minute']}` };
}

/** Whether the schedule is open at `at`: some interval of that local weekday holds its local time. */
export function isOpenAt(schedule: WeeklySchedule, at: Date): boolean {
  const { day, time } = localWeekTime(at, schedule.timeZone);
  return schedule.intervals.some((i) => i.day === day && i.start <= time && time < i.end);
}

/** The automatic messages owed when a conversation opens (new, or reopened after resolution). */
export function autoRepliesFor(
  number: AutoReplySettings,
  opening: { contactIsNew: boolean },
  at: Date,
): { kind: AutoReplyKind; body: string }[] {
  const out: { kind: AutoReplyKind; body: string }[] = [];
  if (opening.contactIsNew && number.greetingMessage)
    out.push({ kind: 'greeting', body: number.greetingMessage });
  const closed = number.businessHours !== null && !isOpenAt(number.businessHours, at);
  if (closed) {
    if (number.awayMessage) out.push({ kind: 'away', body: number.awayMessage });
  } else if (out.length === 0 && number.autoReplyMessage) {
    out.push({ kind: 'auto_reply', body: number.autoReplyMessage });
  }
  return out;
}
