/**
 * PEM bundles for the additional trusted CA ConfigMap: parsed with node:crypto
 * X509Certificate. No I/O; the current time is a parameter.
 */
import {X509Certificate} from 'node:crypto';
import type {Problem} from '../lib/errors.js';
import type {Warning} from './warnings.js';

export interface CertInfo {
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  /** Whole days until notAfter (negative when expired). */
  daysToExpiry: number;
  /** notAfter is at or before `now`. */
  expired: boolean;
  ca: boolean;
  fingerprint256: string;
}

export interface PemBundle {
  /** The certificates re-encoded as PEM, one after the other (text outside the blocks dropped). */
  pem: string;
  certs: CertInfo[];
  problems: Problem[];
  warnings: Warning[];
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
const DAY = 24 * 60 * 60 * 1000;

function oneLine(dn: string): string {
  return dn.split('\n').filter(Boolean).join(', ');
}

export function describeCert(x: X509Certificate, now: Date): CertInfo {
  const notAfter = new Date(x.validTo);
  return {
    subject: oneLine(x.subject),
    issuer: oneLine(x.issuer),
    notBefore: new Date(x.validFrom).toISOString(),
    notAfter: notAfter.toISOString(),
    daysToExpiry: Math.floor((notAfter.getTime() - now.getTime()) / DAY),
    expired: notAfter.getTime() <= now.getTime(),
    ca: x.ca,
    fingerprint256: x.fingerprint256,
  };
}

/** Parse a PEM bundle given for `field` (e.g. `--cert ca.pem`). */
export function parsePemBundle(text: string, field: string, now: Date): PemBundle {
  const problems: Problem[] = [];
  const warnings: Warning[] = [];
  const certs: CertInfo[] = [];
  const pems: string[] = [];
  const blocks = [...text.matchAll(BLOCK)];
  if (blocks.length === 0) {
    const binary = /[\x00-\x08\x0e-\x1f]/.test(text);
    problems.push({field, message: binary ? 'is not PEM (binary data; convert DER with `openssl x509 -inform der -in FILE -out FILE.pem`)' : 'is not a PEM certificate: no -----BEGIN CERTIFICATE----- block'});
    return {pem: '', certs, problems, warnings};
  }
  blocks.forEach((m, i) => {
    const label = m[1]!;
    const where = blocks.length > 1 ? `${field} (block ${i + 1})` : field;
    if (label.includes('PRIVATE KEY')) {
      problems.push({field: where, message: `is a ${label}, not a certificate: never put private keys in the trusted CA ConfigMap (it is readable cluster-wide)`});
      return;
    }
    if (label !== 'CERTIFICATE' && label !== 'TRUSTED CERTIFICATE') {
      problems.push({field: where, message: `is a PEM ${label} block, not a CERTIFICATE`});
      return;
    }
    let x: X509Certificate;
    try {
      x = new X509Certificate(m[0]);
    } catch (e) {
      problems.push({field: where, message: `is not a valid X.509 certificate: ${(e as Error).message}`});
      return;
    }
    const info = describeCert(x, now);
    certs.push(info);
    pems.push(x.toString().trim());
    const name = info.subject || '(empty subject)';
    if (new Date(info.notAfter).getTime() < now.getTime()) warnings.push({code: 'cert-expired', field: where, message: `certificate ${name} expired on ${info.notAfter.slice(0, 10)}: pulls that rely on it fail TLS verification`});
    else if (new Date(info.notBefore).getTime() > now.getTime()) warnings.push({code: 'cert-not-yet-valid', field: where, message: `certificate ${name} is not valid before ${info.notBefore.slice(0, 10)}`});
    if (!info.ca) warnings.push({code: 'cert-not-ca', field: where, message: `certificate ${name} is not a CA (basicConstraints CA:FALSE or absent): it only works if the registry serves exactly this certificate`});
  });
  const rest = text.replace(BLOCK, '').trim();
  if (rest !== '' && /[^\s]/.test(rest) && problems.length === 0 && /-----BEGIN/.test(rest)) problems.push({field, message: 'has an unterminated PEM block'});
  return {pem: pems.length > 0 ? pems.join('\n') + '\n' : '', certs, problems, warnings};
}

const PEM = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** Every certificate in a PEM bundle already stored (a ConfigMap key); a block that does not parse is reported in `errors`. */
export function certificatesIn(pem: string, now: Date): {certs: CertInfo[]; errors: string[]} {
  const certs: CertInfo[] = [];
  const errors: string[] = [];
  const blocks = pem.match(PEM) ?? [];
  if (blocks.length === 0) errors.push('no PEM certificate found');
  blocks.forEach((block, i) => {
    try {
      certs.push(describeCert(new X509Certificate(block), now));
    } catch (e) {
      errors.push(`certificate ${i + 1}: ${(e as Error).message}`);
    }
  });
  return {certs, errors};
}
