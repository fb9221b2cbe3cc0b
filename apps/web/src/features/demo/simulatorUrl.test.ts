import { describe, expect, it } from 'vitest';
import { simulatorUrl } from './simulatorUrl';

describe('simulatorUrl', () => {
  const meta = 'https://graph.facebook.com';
  it('finds a simulator on loopback and ignores Meta and other hosts', () => {
    expect(simulatorUrl([{ graphBaseUrl: meta }, { graphBaseUrl: 'http://127.0.0.1:4567' }], meta)).toBe(
      'http://127.0.0.1:4567/',
    );
    expect(simulatorUrl([{ graphBaseUrl: meta }], meta)).toBeUndefined();
    expect(simulatorUrl([{ graphBaseUrl: 'https://graph.example.com' }], meta)).toBeUndefined();
  });
});
