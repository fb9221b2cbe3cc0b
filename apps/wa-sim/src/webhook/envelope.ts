// Builds the `whatsapp_business_account` envelope. Several updates can share one POST (Meta batches up
// to 1000): updates for the same WABA share an `entry`, and `messages`-field updates for the same phone
// number share one `change` whose value carries several `messages[]`/`statuses[]`.

export type Json = Record<string, unknown>;

export interface Update {
  wabaId: string;
  field: string;
  /** For `messages`-field updates. */
  phone?: { id: string; display: string };
  contact?: Json;
  message?: Json;
  status?: Json;
  /** Value-level `errors[]` (system/app problems; also the pywa "interactive with error" case). */
  errors?: Json[];
  /** For every other field: the change value as-is. */
  value?: Json;
  /** Template-management webhooks carry an integer `entry.time`. */
  entryTime?: number;
}

export function isStatusUpdate(u: Update): boolean {
  return u.status !== undefined;
}

/** Builds one webhook body from a batch of updates. */
export function buildEnvelope(updates: readonly Update[]): Json {
  const entries = new Map<string, { entry: Json; changes: Json[]; byPhone: Map<string, Json> }>();
  for (const u of updates) {
    let e = entries.get(u.wabaId);
    if (!e) {
      const changes: Json[] = [];
      const entry: Json = { id: u.wabaId };
      if (u.entryTime !== undefined) entry['time'] = u.entryTime;
      entry['changes'] = changes;
      e = { entry, changes, byPhone: new Map() };
      entries.set(u.wabaId, e);
    }
    if (u.field !== 'messages' || !u.phone) {
      e.changes.push({ value: u.value ?? {}, field: u.field });
      continue;
    }
    let value = e.byPhone.get(u.phone.id);
    if (!value) {
      value = {
        messaging_product: 'whatsapp',
        metadata: { display_phone_number: u.phone.display, phone_number_id: u.phone.id },
      };
      e.byPhone.set(u.phone.id, value);
      e.changes.push({ value, field: 'messages' });
    }
    if (u.contact) appendContact(value, u.contact);
    if (u.message) appendTo(value, 'messages', u.message);
    if (u.status) appendTo(value, 'statuses', u.status);
    if (u.errors) for (const err of u.errors) appendTo(value, 'errors', err);
  }
  return { object: 'whatsapp_business_account', entry: [...entries.values()].map((e) => e.entry) };
}

function appendTo(value: Json, key: string, item: Json): void {
  const list = value[key];
  if (Array.isArray(list)) list.push(item);
  else value[key] = [item];
}

function appendContact(value: Json, contact: Json): void {
  const list = value['contacts'];
  if (!Array.isArray(list)) {
    value['contacts'] = [contact];
    return;
  }
  // One contact per customer even when a batch holds several of their updates.
  if (!list.some((c: unknown) => (c as Json)['wa_id'] === contact['wa_id'])) list.push(contact);
}
