import http from 'node:http';
import https from 'node:https';

// A minimal keep-alive HTTP client. node:http with a pooled agent is several times faster than fetch
// for thousands of small POSTs to one receiver, and the simulator must never be the benchmark bottleneck.

export interface HttpResult {
  status: number;
  body: string;
}

export interface HttpClient {
  request(
    method: 'GET' | 'POST',
    url: string,
    body: string | undefined,
    headers: Record<string, string>,
    timeoutMs: number,
  ): Promise<HttpResult>;
  close(): void;
}

export function createHttpClient(maxSockets: number): HttpClient {
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets });
  const httpsAgent = new https.Agent({ keepAlive: true, maxSockets });
  return {
    request(method, url, body, headers, timeoutMs) {
      return new Promise((resolve, reject) => {
        const target = new URL(url);
        const isHttps = target.protocol === 'https:';
        const lib = isHttps ? https : http;
        const req = lib.request(
          target,
          {
            method,
            agent: isHttps ? httpsAgent : httpAgent,
            headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) },
            timeout: timeoutMs,
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
            });
            res.on('error', reject);
          },
        );
        req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
        req.on('error', reject);
        req.end(body);
      });
    },
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
