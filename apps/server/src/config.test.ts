import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, roleName } from './config.ts';

/** The problems parseConfig reports for `env` (none when it parses). */
function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

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
    expect(problemsOf({ DATABASE_URL: 'postgres://u@127.0.0.1/db' })).toEqual([
      'SECRET_KEY: required when DATABASE_URL is set (instances must share one key)',
    ]);
    expect(problemsOf({ SECRET_KEY: 'short' })).toEqual([
      expect.stringMatching(/^SECRET_KEY: must be at least 32 characters/),
    ]);
    // A key that is present but too short is one problem, not two.
    expect(problemsOf({ DATABASE_URL: 'postgres://u@127.0.0.1/db', SECRET_KEY: 'short' })).toEqual([
      expect.stringMatching(/^SECRET_KEY: must be at least 32 characters/),
    ]);
  });

  it('reports checks across variables together with the problems of single variables', () => {
    // A bad PORT used to hide the missing SECRET_KEY until the PORT was fixed.
    const problems = problemsOf({ PORT: 'eighty', DATABASE_URL: 'postgres://u@127.0.0.1/db' });
    expect(problems).toEqual([
      expect.stringMatching(/^PORT: /),
      'SECRET_KEY: required when DATABASE_URL is set (instances must share one key)',
    ]);
    // Also when DATABASE_URL itself is malformed: it is still meant to be PostgreSQL.
    const all = problemsOf({ PORT: '70000', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x', SMTP_URL: 'x' });
    expect(all.map((p) => p.split(':')[0])).toEqual([
      'PORT',
      'LOG_LEVEL',
      'DATABASE_URL',
      'SMTP_URL',
      'SECRET_KEY',
    ]);
  });

  it('runs every role by default, and a list of roles (SWITCHBOARD_ROLE) on PostgreSQL', () => {
    expect(parseConfig({}).roles).toEqual({ api: true, worker: true, scheduler: true });
    const pg = { DATABASE_URL: 'postgres://u@127.0.0.1/db', SECRET_KEY: 'k'.repeat(32) };
    expect(parseConfig({ ...pg, SWITCHBOARD_ROLE: 'all' }).roles).toEqual(parseConfig({}).roles);
    expect(parseConfig({ ...pg, SWITCHBOARD_ROLE: 'api' }).roles).toEqual({
      api: true,
      worker: false,
      scheduler: false,
    });
    const c = parseConfig({ ...pg, SWITCHBOARD_ROLE: 'scheduler, worker' });
    expect(c.roles).toEqual({ api: false, worker: true, scheduler: true });
    expect(roleName(c.roles)).toBe('worker,scheduler');
    expect(roleName(parseConfig({}).roles)).toBe('all');
    expect(Object.isFrozen(c.roles)).toBe(true);
  });

  it('refuses an unknown role, and split roles on the embedded database', () => {
    expect(problemsOf({ SWITCHBOARD_ROLE: 'web' })).toEqual([
      'SWITCHBOARD_ROLE: must be all, or a comma-separated list of api, worker, scheduler (got "web")',
    ]);
    expect(problemsOf({ SWITCHBOARD_ROLE: 'worker' })).toEqual([
      'SWITCHBOARD_ROLE: the worker role needs PostgreSQL (set DATABASE_URL); the embedded database runs only the role all',
    ]);
    expect(problemsOf({ SWITCHBOARD_ROLE: 'all' })).toEqual([]);
  });
});
