import { describe, expect, it } from 'vitest';
import { groupSecret, recoveryCodesText } from './twoFactor';

describe('two-factor helpers', () => {
  it('groups a secret by four characters', () => {
    expect(groupSecret('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP');
    expect(groupSecret('ABCDEF')).toBe('ABCD EF');
    expect(groupSecret('')).toBe('');
  });

  it('writes the recovery codes one a line', () => {
    expect(recoveryCodesText(['aaaa-bbbb-cc', 'dddd-eeee-ff'], 'Recovery codes')).toBe(
      'Recovery codes\n\naaaa-bbbb-cc\ndddd-eeee-ff\n',
    );
  });
});
