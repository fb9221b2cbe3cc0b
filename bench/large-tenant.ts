// Large-tenant generator (issue 7): one PostgreSQL database, `switchboard_scale`, holding an
// organization with 1,000,000 conversations and 5,000,000 messages in the real schema, plus a
// second small organization so tenant filters and row-level security have something to exclude.
// The organizations, agents, numbers, teams and labels are made by the real services; contacts,
// conversations, messages, their labels and read marks are loaded with COPY (pg-copy-streams) as
// the database owner, with the bulk tables' secondary indexes dropped during the load and rebuilt
// after it, then VACUUM ANALYZE. A marker table records the generator version and the sizes: a
// later run with the same sizes reuses the database; `--regenerate` builds it again.
//
// Run: npx tsx bench/large-tenant.ts [--conversations 1000000] [--messages 5000000] [--regenerate]
//      (BENCH_DATABASE_URL: an admin URL on 127.0.0.1; default postgres://postgres@127.0.0.1:5432/postgres)
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Cleanups, SECRET_KEY, fmt } from './support.ts';

export const GENERATOR_VERSION = 3;
export const SCALE_DATABASE = 'switchboard_scale';
export const SCALE_PASSWORD = 'scale-bench-password-1';
export const AGENTS = 40;
export const BIG_THREAD = 10_000;
/** Words that occur in about one message in 100,000 each: the "rare term" searches. */
export const RARE_WORDS = [
  'ornitorrinco',
  'quokka',
  'zarabatana',
  'xilogravura',
  'pterodactyl',
  'caleidoscopio',
];

export interface ScaleSizes {
  conversations: number;
  messages: number;
}

/** What the marker table holds: enough for the bench to find its subjects. */
export interface ScaleMarker extends ScaleSizes {
  version: number;
  tenantId: string;
  otherTenantId: string;
  ownerEmail: string;
  agentEmails: string[];
  /** The agent the bench signs in as: assignee of the big thread and of its share of the rest. */
  agentId: string;
  numberIds: string[];
  teamIds: string[];
  labelIds: string[];
  bigThreadId: string;
  contacts: number;
  generatedSeconds: number;
  generatedAt: string;
}

// ---------------------------------------------------------------------------------------------
// Deterministic randomness and ids.

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** a[i], which the caller knows is there. */
function at<T>(a: ArrayLike<T>, i: number): T {
  const v = a[i];
  if (v === undefined) throw new Error(`index ${i} out of range`);
  return v;
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/** A UUIDv7 for `ms` whose random bits are `kind` and `seq`: unique per (kind, seq), ordered by time. */
export function uuid7(ms: number, kind: number, seq: number): string {
  const t = hex(Math.floor(ms), 12);
  const hi = Math.floor(seq / 2 ** 32);
  const lo = seq >>> 0;
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${hex(kind & 0xfff, 3)}-${hex(0x8000 | (hi & 0x3fff), 4)}-${hex(hi >>> 14, 4)}${hex(lo, 8)}`;
}

// ---------------------------------------------------------------------------------------------
// Text: en / es / pt words, everyday support vocabulary with a long tail.

const WORDS = {
  en: (
    'hello hi thanks please order delivery tracking refund invoice payment card address package ' +
    'today tomorrow yesterday still waiting help need change cancel return size color price ' +
    'discount coupon store account password login app problem broken wrong missing late ' +
    'shipping week receipt replacement warranty support question answer sorry great perfect ' +
    'okay sure when where how much can could would the my your is was not yes no'
  ).split(' '),
  es: (
    'hola gracias por favor pedido entrega envío seguimiento reembolso factura pago tarjeta ' +
    'dirección paquete hoy mañana ayer todavía esperando ayuda necesito cambiar cancelar ' +
    'devolver talla color precio descuento cupón tienda cuenta contraseña problema roto ' +
    'equivocado falta tarde semana recibo garantía soporte pregunta respuesta perdón genial ' +
    'perfecto vale claro cuándo dónde cuánto puedo podría el mi su es fue no sí'
  ).split(' '),
  pt: (
    'olá obrigado obrigada por favor pedido entrega envio rastreio reembolso nota fiscal ' +
    'pagamento cartão endereço pacote hoje amanhã ontem ainda aguardando ajuda preciso trocar ' +
    'cancelar devolver tamanho cor preço desconto cupom boleto pix loja conta senha problema ' +
    'quebrado errado faltando atrasado semana recibo garantia suporte pergunta resposta ' +
    'desculpa ótimo perfeito certo quando onde quanto posso poderia o meu seu é foi não sim'
  ).split(' '),
};
const LANGS = ['en', 'es', 'pt'] as const;
/** A less common tail per language, picked one time in ten. */
const TAIL = (
  'chargeback backorder courier customs voucher subscription upgrade downgrade firmware ' +
  'aduana transportista suscripción factura electrónica mensajero devolución parcial ' +
  'transportadora assinatura parcelamento estorno cupom fiscal correios sedex'
).split(' ');

function messageText(rand: () => number, lang: (typeof LANGS)[number]): string {
  const words = WORDS[lang];
  const n = 3 + Math.floor(rand() * rand() * 22);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (r < 0.00001 * RARE_WORDS.length) out.push(RARE_WORDS[Math.floor(r / 0.00001)] ?? 'quokka');
    else if (r < 0.1) out.push(TAIL[Math.floor(rand() * TAIL.length)] ?? '');
    else out.push(words[Math.floor(rand() * rand() * words.length)] ?? '');
  }
  if (rand() < 0.05) out.push(`#${100_000 + Math.floor(rand() * 900_000)}`);
  return out.join(' ');
}

const FIRST = (
  'James Mary John Patricia Robert Jennifer Michael Linda David Emily Sarah Daniel José María ' +
  'Juan Carmen Luis Ana Carlos Lucía Javier Sofía Miguel Valentina Diego Camila Alejandro Isabel ' +
  'João Ana Pedro Mariana Lucas Beatriz Gabriel Júlia Rafael Larissa Mateus Fernanda Thiago ' +
  'Letícia Bruno Gonçalo Inês Tomás Leonor Rodrigo Matilde'
).split(' ');
const LAST = (
  'Smith Johnson Williams Brown Jones Miller Davis Wilson García Martínez López González ' +
  'Rodríguez Fernández Pérez Sánchez Romero Navarro Silva Santos Oliveira Souza Pereira Costa ' +
  'Ferreira Almeida Carvalho Gomes Ribeiro Araújo Barbosa Nunes Moreira Castro Cardoso Teixeira'
).split(' ');
/** Country prefix, then area codes, then the subscriber digits' length. */
const PHONES: [string, string[], number][] = [
  ['55', ['11', '21', '31', '41', '51', '61', '71', '81'], 9],
  ['52', ['55', '33', '81'], 8],
  ['34', ['6'], 8],
  ['1', ['212', '305', '415', '512'], 7],
  ['351', ['91', '93', '96'], 7],
  ['54', ['911'], 8],
];

// ---------------------------------------------------------------------------------------------
// Plan: how many messages each conversation gets, and which conversations are special.

interface TenantPlan {
  tenantId: string;
  conversations: number;
  messages: number;
  contacts: number;
  numberIds: string[];
  agentIds: string[];
  teamIds: string[];
  labelIds: string[];
  /** Messages per conversation (the newest conversations hold the long threads). */
  counts: Int32Array;
  /** Last activity per conversation (ms). */
  lastAt: Float64Array;
  seed: number;
  /** Sequence base for ids, so two tenants never share one. */
  idBase: number;
}

const DAY = 86_400_000;
const STATUS_ACTIVE = ['open', 'open', 'open', 'open', 'pending', 'pending', 'snoozed'] as const;

function planCounts(conversations: number, messages: number, rand: () => number, long: boolean): Int32Array {
  const counts = new Int32Array(conversations);
  let rest = messages;
  let from = conversations;
  if (long) {
    // The newest conversation holds the 10,000-message thread, the next five 1,000–3,000 each.
    counts[conversations - 1] = BIG_THREAD;
    rest -= BIG_THREAD;
    from = conversations - 1;
    for (let k = 2; k <= 6; k++) {
      const n = 1_000 + Math.floor(rand() * 2_000);
      counts[conversations - k] = n;
      rest -= n;
      from--;
    }
  }
  if (rest < from) throw new Error(`--messages is too small for ${conversations} conversations`);
  // Many short threads: 1 + a geometric-like tail with the mean that spends the rest.
  const mean = rest / from - 1;
  let sum = 0;
  for (let i = 0; i < from; i++) {
    const n = 1 + Math.floor(-Math.log(1 - rand()) * mean);
    counts[i] = n;
    sum += n;
  }
  // Exactly `messages` in all: spread the difference one message at a time.
  let diff = rest - sum;
  for (let i = 0; diff !== 0; i = (i + 1) % from) {
    if (diff > 0) {
      counts[i] = (counts[i] ?? 0) + 1;
      diff--;
    } else if ((counts[i] ?? 0) > 1) {
      counts[i] = (counts[i] ?? 0) - 1;
      diff++;
    }
  }
  return counts;
}

// ---------------------------------------------------------------------------------------------
// COPY rows (text format: tab separated, \N for null, backslash escapes).

const esc = (s: string) =>
  s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
const iso = (ms: number) => new Date(ms).toISOString();

/** Batches generated lines into chunks of about 1 MiB for the COPY stream. */
function* chunks(lines: Iterable<string>): Generator<string> {
  let buf: string[] = [];
  let size = 0;
  for (const line of lines) {
    buf.push(line);
    size += line.length;
    if (size > 1 << 20) {
      yield buf.join('');
      buf = [];
      size = 0;
    }
  }
  if (buf.length > 0) yield buf.join('');
}

async function copy(client: pg.Client, table: string, columns: string[], lines: Iterable<string>) {
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(chunks(lines)), stream);
  return stream.rowCount;
}

const contactId = (p: TenantPlan, c: number) =>
  uuid7(at(p.lastAt, 0) - 400 * DAY + c * 1000, 1, p.idBase + c);
const conversationId = (p: TenantPlan, i: number) => uuid7(at(p.lastAt, i), 2, p.idBase + i);
/** The contact of conversation i: conversations of one contact recur every `contacts` rows. */
const contactOf = (p: TenantPlan, i: number) => i % p.contacts;
/** Only a contact's last conversation may be active (one active conversation per contact and number). */
const isLastOfContact = (p: TenantPlan, i: number) => i + p.contacts >= p.conversations;

function* contactLines(p: TenantPlan): Generator<string> {
  const rand = mulberry32(p.seed + 1);
  for (let c = 0; c < p.contacts; c++) {
    const [cc, areas, len] = at(PHONES, Math.floor(rand() * rand() * PHONES.length));
    const area = at(areas, Math.floor(rand() * areas.length));
    // Subscriber digits carry the contact's index: unique per tenant.
    const subscriber = String(10 ** (len - 1) + ((c * 7919 + p.idBase) % (9 * 10 ** (len - 1))));
    const waId = `${cc}${area}${subscriber}`;
    const first = at(FIRST, Math.floor(rand() * FIRST.length));
    const last = at(LAST, Math.floor(rand() * LAST.length));
    const profile = rand() < 0.85 ? `${first} ${rand() < 0.5 ? last : ''}`.trim() : null;
    const name = rand() < 0.4 ? `${first} ${last}` : null;
    const stamp = iso(at(p.lastAt, 0) - 400 * DAY + c * 1000);
    yield (
      [
        contactId(p, c),
        p.tenantId,
        waId,
        `+${waId}`,
        profile === null ? '\\N' : esc(profile),
        name === null ? '\\N' : esc(name),
        stamp,
        stamp,
      ].join('\t') + '\n'
    );
  }
}

function* conversationLines(p: TenantPlan, labelRows: string[], readRows: string[]) {
  const rand = mulberry32(p.seed + 2);
  for (let i = 0; i < p.conversations; i++) {
    const id = conversationId(p, i);
    const last = at(p.lastAt, i);
    const count = at(p.counts, i);
    const created = last - Math.min(count * 10 * 60_000, 300 * DAY);
    const active = isLastOfContact(p, i) && (i >= p.conversations - 6 || rand() < 0.35);
    const status = active ? at(STATUS_ACTIVE, Math.floor(rand() * STATUS_ACTIVE.length)) : 'resolved';
    // Assignee: most conversations, skewed toward the first agents; some active ones wait unassigned.
    const assigned = i === p.conversations - 1 || (active ? rand() < 0.6 : rand() < 0.92);
    const assignee = assigned ? at(p.agentIds, Math.floor(rand() * rand() * p.agentIds.length)) : null;
    const team =
      p.teamIds.length > 0 && rand() < 0.75 ? at(p.teamIds, Math.floor(rand() * p.teamIds.length)) : null;
    const pr = rand();
    const priority =
      pr < 0.8 ? 'none' : pr < 0.88 ? 'low' : pr < 0.94 ? 'medium' : pr < 0.98 ? 'high' : 'urgent';
    const number = at(p.numberIds, i % p.numberIds.length);
    const lastInbound = last - (count % 2 === 0 ? 60_000 : 0);
    yield (
      [
        id,
        p.tenantId,
        contactId(p, contactOf(p, i)),
        number,
        status,
        status === 'snoozed' ? iso(last + 3 * DAY) : '\\N',
        assignee ?? '\\N',
        team ?? '\\N',
        priority,
        iso(last),
        iso(lastInbound),
        iso(lastInbound + DAY),
        iso(created),
        iso(last),
        status === 'resolved' ? iso(last + 3_600_000) : '\\N',
      ].join('\t') + '\n'
    );
    // Labels: a third of the conversations carry one or two.
    if (p.labelIds.length > 0 && rand() < 0.33) {
      const a = Math.floor(rand() * rand() * p.labelIds.length);
      labelRows.push(`${p.tenantId}\t${id}\t${p.labelIds[a]}\t${iso(last)}\n`);
      const b = Math.floor(rand() * p.labelIds.length);
      if (b !== a && rand() < 0.3) labelRows.push(`${p.tenantId}\t${id}\t${p.labelIds[b]}\t${iso(last)}\n`);
    }
    // Read marks: the assignee has read most of their conversations; the active ones are often
    // unread (the customer wrote last).
    if (assignee && (status === 'resolved' ? rand() < 0.97 : rand() < 0.5)) {
      readRows.push(`${p.tenantId}\t${id}\t${assignee}\t${iso(last + 1000)}\n`);
    }
  }
}

function* messageLines(p: TenantPlan, stats: { rows: number }): Generator<string> {
  const rand = mulberry32(p.seed + 3);
  let seq = p.idBase * 8;
  for (let i = 0; i < p.conversations; i++) {
    const conv = conversationId(p, i);
    const contact = contactId(p, contactOf(p, i));
    const number = at(p.numberIds, i % p.numberIds.length);
    const count = at(p.counts, i);
    const last = at(p.lastAt, i);
    const lang = at(LANGS, i % 3);
    // Long threads: a message every half hour or so; short ones within minutes.
    const step = count > 500 ? 30 * 60_000 : 5 * 60_000;
    const agent = at(p.agentIds, i % p.agentIds.length);
    for (let j = 0; j < count; j++) {
      const when = last - (count - 1 - j) * step - (j === count - 1 ? 0 : Math.floor(rand() * 60_000));
      // The last message is inbound when the count is odd (matches last_inbound_at above).
      const fromCustomer = (count - 1 - j) % 2 === 0 ? count % 2 === 1 : count % 2 === 0;
      const note = !fromCustomer && rand() < 0.04;
      const direction = note ? 'note' : fromCustomer ? 'inbound' : 'outbound';
      const status = direction === 'outbound' ? (rand() < 0.9 ? 'read' : 'delivered') : 'received';
      const body = JSON.stringify({ body: messageText(rand, lang) });
      const id = uuid7(when, 3, seq++);
      yield (
        [
          id,
          p.tenantId,
          conv,
          contact,
          number,
          direction,
          'text',
          esc(body),
          direction === 'note' ? '\\N' : `wamid.scale.${id}`,
          status,
          direction === 'inbound' ? '\\N' : agent,
          iso(when),
          iso(when),
        ].join('\t') + '\n'
      );
      stats.rows++;
    }
  }
}

// ---------------------------------------------------------------------------------------------

const BULK_TABLES = ['contacts', 'conversations', 'messages', 'conversation_labels', 'conversation_reads'];

async function dropSecondaryIndexes(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ name: string; def: string }>(
    `select i.relname as name, pg_get_indexdef(x.indexrelid) as def
     from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
     where t.relname = any($1) and t.relnamespace = 'public'::regnamespace
       and not exists (select 1 from pg_constraint c where c.conindid = x.indexrelid)`,
    [BULK_TABLES],
  );
  for (const r of rows) await client.query(`drop index "${r.name}"`);
  return rows.map((r) => r.def);
}

function log(msg: string) {
  console.log(`[large-tenant] ${msg}`);
}

function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export function adminUrlFromEnv(): string {
  const adminUrl = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const host = new URL(adminUrl).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost') {
    throw new Error(`BENCH_DATABASE_URL must point at 127.0.0.1 (got ${host})`);
  }
  return adminUrl;
}

/** The marker of the scale database, if it exists and holds one. */
export async function readMarker(adminUrl: string): Promise<ScaleMarker | undefined> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [SCALE_DATABASE]);
    if (!rowCount) return undefined;
  } finally {
    await admin.end();
  }
  const client = new pg.Client({ connectionString: databaseUrl(adminUrl, SCALE_DATABASE) });
  await client.connect();
  try {
    const { rows } = await client.query<{ marker: ScaleMarker }>(
      "select marker from scale_marker where to_regclass('public.scale_marker') is not null",
    );
    return rows[0]?.marker;
  } catch {
    return undefined;
  } finally {
    await client.end();
  }
}

export const scaleUrl = (adminUrl: string) => databaseUrl(adminUrl, SCALE_DATABASE);

/** The scale database with `sizes`: reused when its marker matches, generated otherwise. */
export async function ensureLargeTenant(
  adminUrl: string,
  sizes: ScaleSizes,
  regenerate: boolean,
): Promise<{ marker: ScaleMarker; reused: boolean }> {
  const existing = await readMarker(adminUrl);
  if (
    !regenerate &&
    existing &&
    existing.version === GENERATOR_VERSION &&
    existing.conversations === sizes.conversations &&
    existing.messages === sizes.messages
  ) {
    return { marker: existing, reused: true };
  }
  return { marker: await generate(adminUrl, sizes), reused: false };
}

async function generate(adminUrl: string, sizes: ScaleSizes): Promise<ScaleMarker> {
  const started = performance.now();
  const cleanups = new Cleanups();
  try {
    const admin = new pg.Client({ connectionString: adminUrl, application_name: 'switchboard-scale' });
    await admin.connect();
    cleanups.push(() => admin.end());
    log(
      `creating database ${SCALE_DATABASE} for ${sizes.conversations} conversations, ${sizes.messages} messages`,
    );
    await admin.query(`drop database if exists ${SCALE_DATABASE} with (force)`);
    await admin.query(`create database ${SCALE_DATABASE}`);
    const url = scaleUrl(adminUrl);

    // The real app over the new database: migrations, then organizations, agents, numbers, teams
    // and labels through its services.
    const { parseConfig } = await import('../apps/server/src/config.ts');
    const { openPostgres } = await import('../apps/server/src/platform/db/postgres.ts');
    const { createApp } = await import('../apps/server/src/app.ts');
    const { systemActor } = await import('../apps/server/src/platform/auth/principal.ts');
    const config = parseConfig({
      NODE_ENV: 'production',
      LOG_LEVEL: 'silent',
      HOST: '127.0.0.1',
      PORT: '0',
      SECRET_KEY,
      DATABASE_URL: url,
    });
    if (config.database.kind !== 'postgres') throw new Error('the scale database must be PostgreSQL');
    const database = openPostgres(config.database);
    cleanups.push(() => database.close());
    await database.migrate();
    const app = await createApp({ config, database, secretKey: SECRET_KEY });
    cleanups.push(() => app.close());
    const s = app.services;

    async function organization(name: string, slug: string, agents: number, numbers: number) {
      const ownerEmail = `owner@${slug}.scale.test`;
      const { organization: org } = await s.organizations.createOrganization(
        {
          name,
          plan: 'pro',
          owner: { email: ownerEmail, password: SCALE_PASSWORD, firstName: 'Olive', lastName: 'Owner' },
        },
        systemActor,
      );
      const agentIds: string[] = [];
      const agentEmails: string[] = [];
      for (let a = 0; a < agents; a++) {
        const email = `agent${a + 1}@${slug}.scale.test`;
        const user = await s.users.createUser(
          org.id,
          {
            email,
            password: SCALE_PASSWORD,
            firstName: at(FIRST, a % FIRST.length),
            lastName: at(LAST, a % LAST.length),
            role: 'agent',
          },
          systemActor,
        );
        agentIds.push(user.id);
        agentEmails.push(email);
      }
      const numberIds: string[] = [];
      for (let n = 0; n < numbers; n++) {
        const row = await s.numbers.connectNumber(
          org.id,
          {
            phoneNumberId: `${slug.length}${n}0020030040050`,
            wabaId: `${slug.length}${n}0070080090010`,
            displayPhoneNumber: `+1 555 01${slug.length}${n}`,
            accessToken: 'scale-token',
            appSecret: 'scale-app-secret',
            verifyToken: `scale-verify-${slug}-${n}`,
            purpose: n === 0 ? 'Support' : 'Sales',
          },
          systemActor,
        );
        numberIds.push(row.id);
      }
      return { tenantId: org.id, ownerEmail, agentIds, agentEmails, numberIds };
    }

    const big = await organization('Scale Org', 'big', AGENTS, 2);
    const teamIds: string[] = [];
    for (const [t, name] of ['Support', 'Sales', 'Billing', 'Logística'].entries()) {
      const team = await s.teams.createTeam(
        big.tenantId,
        { name, autoAssign: false, maxOpenPerAgent: null },
        systemActor,
      );
      teamIds.push(team.id);
      for (let a = t; a < AGENTS; a += 4)
        await s.teams.addMember(big.tenantId, team.id, at(big.agentIds, a), systemActor);
    }
    const labelIds: string[] = [];
    const LABELS = [
      'vip',
      'refund',
      'bug',
      'shipping',
      'billing',
      'urgente',
      'reclamação',
      'lead',
      'churn-risk',
      'b2b',
      'follow-up',
      'spam',
    ];
    for (const [k, name] of LABELS.entries()) {
      const label = await s.labels.createLabel(
        big.tenantId,
        { name, color: `#${hex((k * 0x1f3a7b) & 0xffffff, 6)}` },
        systemActor,
      );
      labelIds.push(label.id);
    }
    const small = await organization('Small Org', 'small', 3, 1);
    log(`organizations, ${AGENTS + 3} agents, numbers, teams and labels created by the services`);

    // Bulk load as the owner (no row-level security), secondary indexes dropped meanwhile, and
    // triggers off: the inbox tallies are rebuilt from the loaded rows at the end.
    const client = new pg.Client({ connectionString: url, application_name: 'switchboard-scale' });
    await client.connect();
    cleanups.push(() => client.end());
    await client.query("set maintenance_work_mem = '1GB'");
    await client.query('set synchronous_commit = off');
    await client.query('set session_replication_role = replica');
    const indexDefs = await dropSecondaryIndexes(client);

    const end = Date.now() - 60_000;
    function plan(
      tenantId: string,
      conversations: number,
      messages: number,
      o: { agentIds: string[]; numberIds: string[]; teamIds: string[]; labelIds: string[] },
      seed: number,
      idBase: number,
      long: boolean,
    ): TenantPlan {
      const rand = mulberry32(seed);
      const counts = planCounts(conversations, messages, rand, long);
      const lastAt = new Float64Array(conversations);
      // Two years of activity, newest last; a little jitter, still strictly increasing.
      const span = 730 * DAY;
      for (let i = 0; i < conversations; i++)
        lastAt[i] = end - span + Math.floor(((i + rand() * 0.5) * span) / conversations);
      const contacts = Math.max(1, Math.round(conversations * 0.4));
      return { tenantId, conversations, messages, contacts, counts, lastAt, seed, idBase, ...o };
    }
    const plans = [
      plan(big.tenantId, sizes.conversations, sizes.messages, { ...big, teamIds, labelIds }, 7, 0, true),
      plan(small.tenantId, 2_000, 10_000, { ...small, teamIds: [], labelIds: [] }, 11, 2 ** 40, false),
    ];
    for (const p of plans) {
      let t0 = performance.now();
      const contactRows = await copy(
        client,
        'contacts',
        ['id', 'tenant_id', 'wa_id', 'phone_e164', 'profile_name', 'name', 'created_at', 'updated_at'],
        contactLines(p),
      );
      log(`contacts: ${contactRows} in ${fmt((performance.now() - t0) / 1000, 1)} s`);
      t0 = performance.now();
      const labelRows: string[] = [];
      const readRows: string[] = [];
      const convRows = await copy(
        client,
        'conversations',
        [
          'id',
          'tenant_id',
          'contact_id',
          'number_id',
          'status',
          'snoozed_until',
          'assignee_id',
          'team_id',
          'priority',
          'last_message_at',
          'last_inbound_at',
          'window_expires_at',
          'created_at',
          'updated_at',
          'resolved_at',
        ],
        conversationLines(p, labelRows, readRows),
      );
      await copy(
        client,
        'conversation_labels',
        ['tenant_id', 'conversation_id', 'label_id', 'created_at'],
        labelRows,
      );
      await copy(
        client,
        'conversation_reads',
        ['tenant_id', 'conversation_id', 'user_id', 'last_read_at'],
        readRows,
      );
      log(
        `conversations: ${convRows} (${labelRows.length} labels, ${readRows.length} read marks) in ${fmt((performance.now() - t0) / 1000, 1)} s`,
      );
      t0 = performance.now();
      const stats = { rows: 0 };
      const msgRows = await copy(
        client,
        'messages',
        [
          'id',
          'tenant_id',
          'conversation_id',
          'contact_id',
          'number_id',
          'direction',
          'type',
          'content',
          'external_id',
          'status',
          'sender_user_id',
          'occurred_at',
          'created_at',
        ],
        messageLines(p, stats),
      );
      log(`messages: ${msgRows} in ${fmt((performance.now() - t0) / 1000, 1)} s`);
    }

    let t0 = performance.now();
    await client.query('select sb_rebuild_inbox_tallies()');
    await client.query('set session_replication_role = origin');
    log(`inbox tallies rebuilt in ${fmt((performance.now() - t0) / 1000, 1)} s`);
    t0 = performance.now();
    for (const def of indexDefs) {
      const t = performance.now();
      await client.query(def);
      log(`  ${/INDEX (\S+)/.exec(def)?.[1] ?? def} rebuilt in ${fmt((performance.now() - t) / 1000, 1)} s`);
    }
    log(`${indexDefs.length} indexes rebuilt in ${fmt((performance.now() - t0) / 1000, 1)} s`);
    t0 = performance.now();
    for (const t of BULK_TABLES) await client.query(`vacuum (analyze) ${t}`);
    log(`vacuum analyze in ${fmt((performance.now() - t0) / 1000, 1)} s`);

    const bigPlan = at(plans, 0);
    const marker: ScaleMarker = {
      version: GENERATOR_VERSION,
      ...sizes,
      tenantId: big.tenantId,
      otherTenantId: small.tenantId,
      ownerEmail: big.ownerEmail,
      agentEmails: big.agentEmails,
      agentId: at(big.agentIds, 0),
      numberIds: big.numberIds,
      teamIds,
      labelIds,
      bigThreadId: conversationId(bigPlan, bigPlan.conversations - 1),
      contacts: bigPlan.contacts,
      generatedSeconds: (performance.now() - started) / 1000,
      generatedAt: new Date().toISOString(),
    };
    await client.query('create table scale_marker (marker jsonb not null)');
    await client.query('insert into scale_marker (marker) values ($1)', [JSON.stringify(marker)]);
    await client.query(
      `comment on database ${SCALE_DATABASE} is 'switchboard large-tenant generator v${GENERATOR_VERSION}: ${sizes.conversations} conversations, ${sizes.messages} messages'`,
    );
    log(`generated in ${fmt(marker.generatedSeconds, 1)} s`);
    return marker;
  } finally {
    await cleanups.run();
  }
}

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n < 1)
    throw new Error(`--${name} must be a positive integer (got ${value})`);
  return n;
}

/** Parses the generator's flags (shared by the bench). */
export function sizesFrom(values: {
  conversations?: string | undefined;
  messages?: string | undefined;
}): ScaleSizes {
  const conversations = positive('conversations', values.conversations, 1_000_000);
  const messages = positive('messages', values.messages, 5_000_000);
  if (conversations < 1_000) throw new Error('--conversations must be at least 1000');
  if (messages < conversations + BIG_THREAD + 15_000) {
    throw new Error(
      `--messages must be at least --conversations + ${BIG_THREAD + 15_000} (the long threads)`,
    );
  }
  return { conversations, messages };
}

async function main() {
  const { values } = parseArgs({
    options: {
      conversations: { type: 'string' },
      messages: { type: 'string' },
      regenerate: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const sizes = sizesFrom(values);
  const { marker, reused } = await ensureLargeTenant(adminUrlFromEnv(), sizes, values.regenerate);
  if (reused) {
    log(
      `${SCALE_DATABASE} already holds v${marker.version} with ${marker.conversations} conversations and ${marker.messages} messages (generated in ${fmt(marker.generatedSeconds, 1)} s on ${marker.generatedAt.slice(0, 10)}); --regenerate to build it again`,
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(`large-tenant: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
