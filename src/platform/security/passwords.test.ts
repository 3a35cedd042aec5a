import { describe, expect, it } from 'vitest';
import type { AppError } from '../errors/app-error.js';
import { checkPasswordStrength, generatePassword, hashPassword, verifyPassword } from './passwords.js';
import { checkTotp, currentTotp, newTotpSecret } from './totp.js';
import { openField, sealField } from './secrets.js';

describe('passwords', () => {
  it('hashes with argon2id and verifies', async () => {
    const h = await hashPassword('correct horse battery');
    expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(h, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(h, 'wrong horse battery')).toBe(false);
    expect(await verifyPassword(null, 'anything')).toBe(false);
  });

  it('refuses short passwords, ones containing the username, and low variety', () => {
    const code = (pw: string) => { try { checkPasswordStrength(pw, 'jsmith'); return 'ok'; } catch (e) { return (e as AppError).code; } };
    expect(code('short')).toBe('PASSWORD_TOO_WEAK');
    expect(code('xx-jsmith-2024-yy')).toBe('PASSWORD_TOO_WEAK');
    expect(code('aaaaaaaaaaaaaaaa')).toBe('PASSWORD_TOO_WEAK');
    expect(code('a perfectly fine passphrase')).toBe('ok');
  });

  it('generates distinct 20-character passwords', () => {
    const a = generatePassword();
    expect(a).toMatch(/^[A-HJ-NP-Za-km-z2-9]{20}$/);
    expect(generatePassword()).not.toBe(a);
  });
});

describe('TOTP', () => {
  it('accepts the current code and one step of drift, and tells the step', () => {
    const s = newTotpSecret();
    const now = Date.UTC(2026, 11, 1, 12, 0, 15);
    expect(checkTotp(s, currentTotp(s, now), now)).toBe(Math.floor(now / 30_000));
    expect(checkTotp(s, currentTotp(s, now - 30_000), now)).toBe(Math.floor(now / 30_000) - 1);
    expect(checkTotp(s, currentTotp(s, now - 120_000), now)).toBeNull();
    expect(checkTotp(s, 'abcdef', now)).toBeNull();
  });

  it('matches the RFC 6238 test vector for SHA-1', () => {
    // RFC 6238 appendix B: secret "12345678901234567890", T = 59 s → 94287082 (8 digits); 6 digits: 287082.
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    expect(currentTotp(secret, 59_000)).toBe('287082');
  });
});

describe('field encryption', () => {
  it('round-trips and detects tampering', () => {
    const key = Buffer.alloc(32, 7);
    const sealed = sealField(key, 'JBSWY3DPEHPK3PXP');
    expect(sealed).not.toContain('JBSWY3DP');
    expect(openField(key, sealed)).toBe('JBSWY3DPEHPK3PXP');
    const bad = Buffer.from(sealed, 'base64url');
    bad[bad.length - 1] = bad[bad.length - 1]! ^ 1;
    expect(() => openField(key, bad.toString('base64url'))).toThrow();
  });
});
