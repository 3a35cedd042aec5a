import * as OTPAuth from 'otpauth';
import QRCode from 'qrcode';

const PERIOD = 30;

export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

function totp(secret: string, label = 'user', issuer = 'Chartroom'): OTPAuth.TOTP {
  return new OTPAuth.TOTP({ issuer, label, secret: OTPAuth.Secret.fromBase32(secret), period: PERIOD, digits: 6 });
}

/**
 * Checks a 6-digit code, allowing one step of clock drift either way.
 * @returns the time step the code belongs to, or null when it is wrong
 */
export function checkTotp(secret: string, token: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(token)) return null;
  const delta = totp(secret).validate({ token, timestamp: now, window: 1 });
  if (delta === null) return null;
  return Math.floor(now / 1000 / PERIOD) + delta;
}

export function currentTotp(secret: string, now = Date.now()): string {
  return totp(secret).generate({ timestamp: now });
}

export async function enrolment(secret: string, username: string, issuer: string) {
  const uri = totp(secret, username, issuer).toString();
  const qrSvg = await QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  return { secret, otpauthUri: uri, qrSvg };
}
