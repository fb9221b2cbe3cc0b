// WhatsApp simulator benchmark: how many signed webhooks per second it emits to a loopback receiver,
// and how many sends per second its Graph API accepts. Run: npx tsx bench/wa-sim.bench.ts
// [--json <path>] (headline figures, for bench/run.ts)
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSimulator } from '../apps/wa-sim/src/index.ts';
import { jsonPathFrom, writeFigures, type Figure } from './figures.ts';

const SECRET = 'bench-secret';
const TOKEN = 'bench-verify';

async function startReceiver(): Promise<{
  url: string;
  count: () => number;
  bad: () => number;
  close: () => void;
}> {
  let count = 0;
  let bad = 0;
  const server = http.createServer((req, res) => {
    if (req.method === 'GET') {
      const u = new URL(req.url ?? '/', 'http://x');
      res.end(u.searchParams.get('hub.challenge') ?? '');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const want = createHmac('sha256', SECRET).update(body).digest();
      const got = Buffer.from(String(req.headers['x-hub-signature-256']).slice(7), 'hex');
      if (got.length === want.length && timingSafeEqual(got, want)) count++;
      else bad++;
      res.writeHead(200).end();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/wh`,
    count: () => count,
    bad: () => bad,
    close: () => server.close(),
  };
}

async function benchWebhooks(): Promise<{ burstPerSecond: number; loadPerSecond: number }> {
  const rx = await startReceiver();
  const sim = await startSimulator({ webhookUrl: rx.url, appSecret: SECRET, verifyToken: TOKEN, seed: 1 });
  const phone = sim.businesses[0]?.phoneNumbers[0]?.id;
  if (phone === undefined) throw new Error('the simulator created no phone number');
  sim.setLimits(phone, { throughputMps: 1000 });
  const N = 30_000;
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    sim.inbound({
      phoneNumberId: phone,
      from: String(5511900000000 + (i % 2000)),
      type: 'text',
      text: { body: `Olá 😀 #${i}` },
    });
  }
  await sim.whenWebhooksIdle();
  const secs = (performance.now() - t0) / 1000;
  const burstPerSecond = rx.count() / secs;
  console.log(
    `burst: ${N} inbound messages → ${rx.count()} signed webhooks (1 update/POST) in ${secs.toFixed(2)} s = ${Math.round(rx.count() / secs)} webhooks/s (bad signatures: ${rx.bad()})`,
  );

  // Load mode: a steady 2,000 messages/s from 500 customers for 5 s, measured at the receiver.
  const before = rx.count();
  const t1 = performance.now();
  const run = sim.startLoad({ phoneNumberId: phone, ratePerSecond: 2000, customers: 500, durationMs: 5000 });
  while (run.running) await new Promise((r) => setTimeout(r, 10));
  await sim.whenWebhooksIdle();
  const secs2 = (performance.now() - t1) / 1000;
  const got = rx.count() - before;
  console.log(
    `load mode: target 2000/s × 5 s = 10000; received ${got} in ${secs2.toFixed(2)} s = ${Math.round(got / secs2)} webhooks/s sustained`,
  );
  await sim.close();
  rx.close();
  return { burstPerSecond, loadPerSecond: got / secs2 };
}

/** Accepted sends per second. */
async function benchSends(numbers: number): Promise<number> {
  const rx = await startReceiver();
  const sim = await startSimulator({
    webhookUrl: rx.url,
    appSecret: SECRET,
    verifyToken: TOKEN,
    seed: 2,
    statusDelays: { sentMs: 5, deliveredMs: 10, readMs: null },
    businesses: [
      {
        wabaId: '900000000000001',
        accessToken: 'bench-access-token',
        messagingLimitTier: 'TIER_UNLIMITED',
        phoneNumbers: Array.from({ length: numbers }, (_, i) => ({
          id: String(900000000000100 + i),
          displayPhoneNumber: String(15550000100 + i),
          throughputMps: 1000,
        })),
      },
    ],
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const url = new URL(sim.url);
  const post = (path: string, body: string) =>
    new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path,
          method: 'POST',
          agent,
          headers: {
            authorization: 'Bearer bench-access-token',
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const DURATION = 4000;
  let accepted = 0;
  let limited = 0;
  let other = 0;
  let seq = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (performance.now() - t0 < DURATION) {
      const i = seq++;
      const phone = 900000000000100 + (i % numbers);
      const body = JSON.stringify({
        messaging_product: 'whatsapp',
        to: String(5511800000000 + i),
        type: 'text',
        text: { body: `msg ${i}` },
      });
      const status = await post(`/v24.0/${phone}/messages`, body);
      if (status === 200) accepted++;
      else if (status === 400) limited++;
      else other++;
    }
  };
  await Promise.all(Array.from({ length: 64 }, worker));
  const secs = (performance.now() - t0) / 1000;
  console.log(
    `sends, ${numbers} number(s) at 1000 mps: ${seq} requests in ${secs.toFixed(2)} s = ${Math.round(seq / secs)} req/s handled; ${Math.round(accepted / secs)} accepted/s, ${limited} answered 130429, ${other} other`,
  );
  await sim.whenWebhooksIdle();
  agent.destroy();
  await sim.close();
  rx.close();
  return accepted / secs;
}

jsonPathFrom(process.argv); // a bad --json fails before the run
const startedAt = new Date();
const webhooks = await benchWebhooks();
const sends1 = await benchSends(1);
const sends8 = await benchSends(8);
const figures: Figure[] = [
  { name: 'signed webhooks/s, burst of 30,000', value: webhooks.burstPerSecond, unit: 'webhooks/s' },
  { name: 'webhooks/s sustained, load mode at 2,000/s', value: webhooks.loadPerSecond, unit: 'webhooks/s' },
  { name: 'accepted sends/s, 1 number at 1,000 mps', value: sends1, unit: 'msg/s' },
  { name: 'accepted sends/s, 8 numbers at 1,000 mps', value: sends8, unit: 'msg/s' },
];
writeFigures(process.argv, 'wa-sim', startedAt, figures);
