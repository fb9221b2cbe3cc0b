import { randomInt } from 'node:crypto';

/**
 * Human-readable account numbers: `SB-` + 9 random digits + a Luhn check digit, grouped for
 * reading aloud (`SB-4821-9130-72`). The check digit catches a mistyped digit on the phone.
 */
export function generateAccountNumber(): string {
  const digits = Array.from({ length: 9 }, () => randomInt(10));
  const all = [...digits, luhnCheckDigit(digits)].join('');
  return `SB-${all.slice(0, 4)}-${all.slice(4, 8)}-${all.slice(8)}`;
}

export function luhnCheckDigit(digits: number[]): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const d = digits[digits.length - 1 - i] ?? 0;
    const v = i % 2 === 0 ? d * 2 : d;
    sum += v > 9 ? v - 9 : v;
  }
  return (10 - (sum % 10)) % 10;
}

export function isValidAccountNumber(value: string): boolean {
  const m = /^SB-(\d{4})-(\d{4})-(\d{2})$/.exec(value);
  if (!m) return false;
  const all = `${m[1]}${m[2]}${m[3]}`.split('').map(Number);
  return luhnCheckDigit(all.slice(0, 9)) === all[9];
}
