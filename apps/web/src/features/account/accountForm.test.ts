import { describe, expect, it } from 'vitest';
import { ApiError, parseProblem } from '../../lib/api/problem';
import { createTranslator } from '../../lib/i18n/translate';
import { passwordChangeErrors, validatePasswordChange, validateProfile } from './accountForm';

const t = createTranslator('en');
const refusal = (errors: { path: string; message: string }[]) =>
  new ApiError(
    parseProblem(
      400,
      JSON.stringify({ code: 'validation_failed', title: 'Bad', detail: 'x', status: 400, errors }),
    ),
  );

describe('account forms', () => {
  it('requires both names, within the limit', () => {
    expect(validateProfile({ firstName: ' ', lastName: 'Lima' }, t)).toEqual({
      firstName: 'This field is required.',
    });
    expect(validateProfile({ firstName: 'Ana', lastName: 'x'.repeat(101) }, t)).toEqual({
      lastName: 'Use at most 100 characters.',
    });
  });

  it('checks the current password, the new one and its confirmation', () => {
    expect(
      validatePasswordChange({ currentPassword: '', newPassword: 'short', confirmPassword: 'x' }, t),
    ).toEqual({
      currentPassword: 'This field is required.',
      newPassword: 'Use at least 10 characters.',
      confirmPassword: 'The passwords do not match.',
    });
    expect(
      validatePasswordChange(
        { currentPassword: 'old', newPassword: 'long enough!', confirmPassword: 'long enough!' },
        t,
      ),
    ).toEqual({});
  });

  it('words the server’s refusals per field, in the user’s language', () => {
    const wrong = refusal([{ path: 'body.currentPassword', message: 'Incorrect password' }]);
    expect(passwordChangeErrors(wrong, t)).toEqual({
      alert: 'The current password is incorrect.',
      fields: { currentPassword: 'The current password is incorrect.' },
    });
    expect(passwordChangeErrors(wrong, createTranslator('es'))?.fields.currentPassword).toBe(
      'La contraseña actual no es correcta.',
    );
    const weak = refusal([{ path: 'body.newPassword', message: 'Must be at least 10 characters' }]);
    expect(passwordChangeErrors(weak, t)).toEqual({
      alert: 'Some fields are not valid. Check them and try again.',
      fields: { newPassword: 'Use between 10 and 200 characters.' },
    });
    expect(passwordChangeErrors(new Error('boom'), t)).toBeUndefined();
  });
});
