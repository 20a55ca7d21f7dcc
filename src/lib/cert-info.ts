/** What an admin wants to know about a CA bundle: who, issued by whom, until when. */
import {X509Certificate} from 'node:crypto';

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
      const c = new X509Certificate(block);
      const end = new Date(c.validTo);
      const daysLeft = Math.floor((end.getTime() - now.getTime()) / 86_400_000);
      certs.push({
        subject: c.subject.replaceAll('\n', ', '),
        issuer: c.issuer.replaceAll('\n', ', '),
        notAfter: end.toISOString(),
        daysLeft,
        expired: end.getTime() <= now.getTime(),
        fingerprint256: c.fingerprint256,
      });
    } catch (e) {
      errors.push(`certificate ${i + 1}: ${(e as Error).message}`);
    }
  });
  return {certs, errors};
}
