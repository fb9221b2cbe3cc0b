import { describe, expect, it } from 'vitest';
import { createTranslator } from '../../lib/i18n/translate';
import { auditActionLabel, auditActorTypeLabel, auditTargetTypeLabel } from './auditLabels';

describe('audit labels', () => {
  const en = createTranslator('en');
  const es = createTranslator('es');
  const pt = createTranslator('pt-BR');

  it('words the codes the server writes, in each language', () => {
    expect(auditActionLabel('user.invited', en)).toBe('User invited');
    expect(auditActionLabel('auth.password_changed', es)).toBe('Contraseña cambiada');
    expect(auditActorTypeLabel('api_key', pt)).toBe('Chave de API');
    expect(auditTargetTypeLabel('whatsapp_number', es)).toBe('Número de WhatsApp');
  });

  it('leaves codes it does not know to be shown raw', () => {
    expect(auditActionLabel('billing.invoice_paid', en)).toBeUndefined();
    expect(auditActorTypeLabel('robot', en)).toBeUndefined();
    expect(auditTargetTypeLabel('toString', en)).toBeUndefined();
  });
});
