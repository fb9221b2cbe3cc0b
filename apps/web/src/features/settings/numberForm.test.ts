import {
  connectNumberRequestSchema,
  updateNumberRequestSchema,
  type WhatsappNumberView,
} from '@switchboard/contracts';
import { describe, expect, it } from 'vitest';
import {
  buildConnectRequest,
  buildUpdateRequest,
  emptyNumberForm,
  halfHours,
  numberFormFrom,
} from './numberForm';

const filled = {
  ...emptyNumberForm('America/Sao_Paulo'),
  phoneNumberId: ' 200000000000009 ',
  wabaId: '100000000000001',
  displayPhoneNumber: '+55 11 4000-0000',
  purpose: 'Support',
  accessToken: 'token',
  appSecret: 'secret',
  verifyToken: 'verify',
  greetingMessage: 'Hi!',
  hoursEnabled: true,
};

describe('buildConnectRequest', () => {
  it('sends every filled field, leaves out empty optional ones, and passes the API schema', () => {
    const request = buildConnectRequest(filled);
    expect(request).toMatchObject({
      phoneNumberId: '200000000000009',
      greetingMessage: 'Hi!',
      throughputMps: 80,
      sendReadReceipts: true,
      businessHours: { timeZone: 'America/Sao_Paulo', intervals: expect.any(Array) },
    });
    expect(request).not.toHaveProperty('awayMessage');
    expect(request).not.toHaveProperty('graphBaseUrl');
    expect(connectNumberRequestSchema.safeParse(request).success).toBe(true);
  });
});

describe('buildUpdateRequest', () => {
  const view: WhatsappNumberView = {
    id: '01900000-0000-7000-8000-000000000001',
    phoneNumberId: '200000000000009',
    wabaId: '100000000000001',
    displayPhoneNumber: '+55 11 4000-0000',
    purpose: 'Support',
    graphBaseUrl: 'https://graph.facebook.com',
    greetingMessage: 'Hi!',
    awayMessage: null,
    autoReplyMessage: null,
    businessHours: null,
    defaultTeamId: null,
    status: 'needs_attention',
    statusReason: 'Meta rejected the access token',
    throughputMps: 80,
    sendReadReceipts: true,
    webhookUrl: 'http://127.0.0.1:3000/webhooks/whatsapp',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };

  it('sends nothing when nothing changed', () => {
    expect(buildUpdateRequest(numberFormFrom(view, 'UTC'), view)).toEqual({});
  });

  it('sends changes, clears with null, and rotates only typed secrets', () => {
    const state = {
      ...numberFormFrom(view, 'UTC'),
      greetingMessage: ' ',
      purpose: 'Sales',
      accessToken: 'new-token',
      hoursEnabled: true,
    };
    const patch = buildUpdateRequest(state, view);
    expect(patch).toEqual({
      purpose: 'Sales',
      greetingMessage: null,
      accessToken: 'new-token',
      businessHours: { timeZone: 'UTC', intervals: expect.any(Array) },
    });
    expect(updateNumberRequestSchema.safeParse(patch).success).toBe(true);
  });
});

describe('halfHours', () => {
  it('offers 48 starts and 24:00 as an end', () => {
    expect(halfHours(false)).toHaveLength(48);
    expect(halfHours(true).at(-1)).toBe('24:00');
  });
});
