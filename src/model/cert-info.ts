/** What an admin wants to know about a CA bundle: who, issued by whom, until when. */
import {X509Certificate} from 'node:crypto';
import {describeCert} from './certs.js';

export interface CertInfo {
  subject: string;
  issuer: string;
  notAfter: string;
  /** Whole days from `now` to expiry (negative once expired). */
  daysLeft: number;
  expired: boolean;
  fingerprint256: string;
}

const PEM = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** Every certificate in a PEM bundle; a block that does not parse is reported in `errors`. */
export function certificatesIn(pem: string, now: Date): {certs: CertInfo[]; errors: string[]} {
  const certs: CertInfo[] = [];
  const errors: string[] = [];
  const blocks = pem.match(PEM) ?? [];
  if (blocks.length === 0) errors.push('no PEM certificate found');
  blocks.forEach((block, i) => {
    try {
      const d = describeCert(new X509Certificate(block), now);
      certs.push({
        subject: d.subject,
        issuer: d.issuer,
        notAfter: d.notAfter,
        daysLeft: d.daysToExpiry,
        expired: Date.parse(d.notAfter) <= now.getTime(),
        fingerprint256: d.fingerprint256,
      });
    } catch (e) {
      errors.push(`certificate ${i + 1}: ${(e as Error).message}`);
    }
  });
  return {certs, errors};
}
