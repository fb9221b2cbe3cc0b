// The WhatsApp number form's state (strings, as inputs hold them) and the API requests built
// from it: every field of connectNumberRequestSchema on connect, only the changes on edit.
import type {
  BusinessHours,
  ConnectNumberRequest,
  UpdateNumberRequest,
  WhatsappNumberView,
} from '@switchboard/contracts';

export interface IntervalState {
  day: number;
  start: string;
  end: string;
}

export interface NumberFormState {
  phoneNumberId: string;
  wabaId: string;
  displayPhoneNumber: string;
  purpose: string;
  graphBaseUrl: string;
  accessToken: string;
  appSecret: string;
  verifyToken: string;
  greetingMessage: string;
  awayMessage: string;
  autoReplyMessage: string;
  hoursEnabled: boolean;
  timeZone: string;
  intervals: IntervalState[];
  throughputMps: string;
  sendReadReceipts: boolean;
  defaultTeamId: string;
}

/** Monday to Friday, 09:00 to 18:00: a starting point for the editor. */
export const defaultIntervals: IntervalState[] = [1, 2, 3, 4, 5].map((day) => ({
  day,
  start: '09:00',
  end: '18:00',
}));

export function emptyNumberForm(timeZone: string): NumberFormState {
  return {
    phoneNumberId: '',
    wabaId: '',
    displayPhoneNumber: '',
    purpose: '',
    graphBaseUrl: '',
    accessToken: '',
    appSecret: '',
    verifyToken: '',
    greetingMessage: '',
    awayMessage: '',
    autoReplyMessage: '',
    hoursEnabled: false,
    timeZone,
    intervals: defaultIntervals,
    throughputMps: '80',
    sendReadReceipts: true,
    defaultTeamId: '',
  };
}

export function numberFormFrom(n: WhatsappNumberView, fallbackTimeZone: string): NumberFormState {
  return {
    phoneNumberId: n.phoneNumberId,
    wabaId: n.wabaId,
    displayPhoneNumber: n.displayPhoneNumber,
    purpose: n.purpose,
    graphBaseUrl: n.graphBaseUrl,
    accessToken: '',
    appSecret: '',
    verifyToken: '',
    greetingMessage: n.greetingMessage ?? '',
    awayMessage: n.awayMessage ?? '',
    autoReplyMessage: n.autoReplyMessage ?? '',
    hoursEnabled: n.businessHours !== null,
    timeZone: n.businessHours?.timeZone ?? fallbackTimeZone,
    intervals: n.businessHours?.intervals ?? defaultIntervals,
    throughputMps: String(n.throughputMps),
    sendReadReceipts: n.sendReadReceipts,
    defaultTeamId: n.defaultTeamId ?? '',
  };
}

const text = (v: string) => (v.trim() === '' ? undefined : v.trim());

function hoursOf(s: NumberFormState): BusinessHours | undefined {
  return s.hoursEnabled ? { timeZone: s.timeZone.trim(), intervals: s.intervals } : undefined;
}

/** A number input's text as a number; text that is not one goes through as NaN for zod to refuse. */
const numberOf = (v: string) => (v.trim() === '' ? undefined : Number(v));

export function buildConnectRequest(s: NumberFormState): ConnectNumberRequest {
  const optional = {
    graphBaseUrl: text(s.graphBaseUrl),
    greetingMessage: text(s.greetingMessage),
    awayMessage: text(s.awayMessage),
    autoReplyMessage: text(s.autoReplyMessage),
    businessHours: hoursOf(s),
    throughputMps: numberOf(s.throughputMps),
  };
  return {
    phoneNumberId: s.phoneNumberId.trim(),
    wabaId: s.wabaId.trim(),
    displayPhoneNumber: s.displayPhoneNumber.trim(),
    accessToken: s.accessToken.trim(),
    appSecret: s.appSecret.trim(),
    verifyToken: s.verifyToken.trim(),
    purpose: s.purpose.trim(),
    sendReadReceipts: s.sendReadReceipts,
    ...(Object.fromEntries(
      Object.entries(optional).filter(([, v]) => v !== undefined),
    ) as Partial<ConnectNumberRequest>),
  };
}

/** Only what changed; cleared messages and business hours are sent as null; secrets only when typed. */
export function buildUpdateRequest(s: NumberFormState, before: WhatsappNumberView): UpdateNumberRequest {
  const patch: Record<string, unknown> = {};
  const set = (key: keyof UpdateNumberRequest, next: unknown, current: unknown) => {
    if (JSON.stringify(next) !== JSON.stringify(current)) patch[key] = next;
  };
  set('displayPhoneNumber', s.displayPhoneNumber.trim(), before.displayPhoneNumber);
  set('purpose', s.purpose.trim(), before.purpose);
  if (text(s.graphBaseUrl) !== undefined) set('graphBaseUrl', s.graphBaseUrl.trim(), before.graphBaseUrl);
  set('greetingMessage', text(s.greetingMessage) ?? null, before.greetingMessage);
  set('awayMessage', text(s.awayMessage) ?? null, before.awayMessage);
  set('autoReplyMessage', text(s.autoReplyMessage) ?? null, before.autoReplyMessage);
  set('businessHours', hoursOf(s) ?? null, before.businessHours);
  set('defaultTeamId', s.defaultTeamId === '' ? null : s.defaultTeamId, before.defaultTeamId);
  set('throughputMps', numberOf(s.throughputMps), before.throughputMps);
  set('sendReadReceipts', s.sendReadReceipts, before.sendReadReceipts);
  for (const secret of ['accessToken', 'appSecret', 'verifyToken'] as const) {
    const value = text(s[secret]);
    if (value !== undefined) patch[secret] = value;
  }
  return patch;
}

/** Times offered for business hours: every half hour, and 24:00 to end a day. */
export function halfHours(includeMidnightEnd: boolean): string[] {
  const times: string[] = [];
  for (let minutes = 0; minutes < 24 * 60; minutes += 30) {
    times.push(
      `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`,
    );
  }
  if (includeMidnightEnd) times.push('24:00');
  return times;
}
