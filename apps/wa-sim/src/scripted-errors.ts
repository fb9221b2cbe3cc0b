import { z } from 'zod';
import { ERROR_CODES, GraphError } from './graph-error.ts';

// Scripted Graph errors and the Graph call log, for tests of a sender's error paths. A scripted
// error refuses the next N calls of one kind (a message send, a read mark, a media upload) with one
// of Meta's codes, in Meta's error body and HTTP status (graph-error.ts); unlike `sendErrorRate` it
// is exact, and it reaches read marks and uploads too. The log records every call of those kinds
// that passed authentication, with what it was answered, so a test can count what reached "Meta".

export const GRAPH_CALL_KINDS = ['message', 'read', 'media'] as const;
export type GraphCallKind = (typeof GRAPH_CALL_KINDS)[number];

export const failNextSchema = z.object({
  /** `message`: POST /{phone-number-id}/messages (not a read mark); `read`: a read mark; `media`: an upload. */
  kind: z.enum(GRAPH_CALL_KINDS),
  /** A code of the simulator's error table (its HTTP status and title come from there). */
  code: z
    .number()
    .int()
    .refine((code) => ERROR_CODES[code] !== undefined, 'not a code of the simulator error table'),
  /** How many calls in a row are refused. */
  times: z.number().int().min(1).max(1000).default(1),
  /** Only calls for this number (default: any number). */
  phoneNumberId: z.string().optional(),
  /** `error_data.details` (default: the code's title, marked as scripted). */
  details: z.string().optional(),
});
export type FailNextInput = z.input<typeof failNextSchema>;
type FailNext = z.output<typeof failNextSchema>;

export interface PendingError {
  kind: GraphCallKind;
  code: number;
  remaining: number;
  phoneNumberId?: string;
}

export interface GraphCall {
  kind: GraphCallKind;
  phoneNumberId: string;
  /** Simulated time the call arrived. */
  at: number;
  /** The HTTP status it was answered with. */
  status: number;
  /** Meta's error code, when refused. */
  code?: number;
  /** Refused by a scripted error. */
  scripted: boolean;
}

/** Calls kept in the log (the oldest are dropped beyond this). */
const LOG_LIMIT = 10_000;

export class ScriptedErrors {
  private readonly pending: (FailNext & { remaining: number })[] = [];

  /** Queues an error for the next `times` matching calls; answers how many refusals are pending. */
  add(input: FailNextInput): number {
    const parsed = failNextSchema.parse(input);
    this.pending.push({ ...parsed, remaining: parsed.times });
    return this.list().reduce((n, p) => n + p.remaining, 0);
  }

  /** The error this call is refused with, if one is scripted for it (the oldest first). */
  take(kind: GraphCallKind, phoneNumberId: string): GraphError | undefined {
    const i = this.pending.findIndex(
      (p) => p.kind === kind && (p.phoneNumberId === undefined || p.phoneNumberId === phoneNumberId),
    );
    const entry = this.pending[i];
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining === 0) this.pending.splice(i, 1);
    const title = ERROR_CODES[entry.code]?.title ?? 'Unknown error';
    return new GraphError(
      entry.code,
      entry.details ?? `${title} (scripted error).`,
      entry.code === 130429 ? { subcode: 2494055 } : {},
    );
  }

  list(): PendingError[] {
    return this.pending.map((p) => ({
      kind: p.kind,
      code: p.code,
      remaining: p.remaining,
      ...(p.phoneNumberId === undefined ? {} : { phoneNumberId: p.phoneNumberId }),
    }));
  }

  clear(): void {
    this.pending.length = 0;
  }
}

export class GraphCallLog {
  private readonly calls: GraphCall[] = [];

  record(call: GraphCall): void {
    this.calls.push(call);
    if (this.calls.length > LOG_LIMIT) this.calls.splice(0, this.calls.length - LOG_LIMIT);
  }

  list(filter: { kind?: GraphCallKind; phoneNumberId?: string } = {}): GraphCall[] {
    return this.calls.filter(
      (c) =>
        (filter.kind === undefined || c.kind === filter.kind) &&
        (filter.phoneNumberId === undefined || c.phoneNumberId === filter.phoneNumberId),
    );
  }
}
