import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config.ts';

describe('config', () => {
  it('defaults to the embedded database on 127.0.0.1:3000 with ./data', () => {
    const c = parseConfig({});
    expect(c).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      dataDir: './data',
      database: { kind: 'pglite' },
    });
    expect(c.publicUrl).toBe('http://127.0.0.1:3000');
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('selects PostgreSQL when DATABASE_URL is set', () => {
    const c = parseConfig({
      DATABASE_URL: 'postgres://u@127.0.0.1/db',
      SECRET_KEY: 'k'.repeat(32),
      DB_POOL_MAX: '20',
    });
    expect(c.database).toEqual({
      kind: 'postgres',
      url: 'postgres://u@127.0.0.1/db',
      poolMax: 20,
      statementTimeoutMs: 30000,
    });
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      parseConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x', SMTP_URL: 'http://mail' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'LOG_LEVEL', 'DATABASE_URL', 'SMTP_URL']) expect(problems).toContain(name);
  });

  it('requires a shared SECRET_KEY with PostgreSQL, where several instances must agree on it', () => {
    expect(() => parseConfig({ DATABASE_URL: 'postgres://u@127.0.0.1/db' })).toThrow(/SECRET_KEY/);
    expect(() => parseConfig({ SECRET_KEY: 'short' })).toThrow(/SECRET_KEY/);
  });
});
