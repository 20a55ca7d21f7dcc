/**
 * Field schemas of the objects this tool reads (openshift/api), and the check
 * that reports wrong types and unknown fields (with a suggestion) as the API
 * server's strict field validation does. Pure.
 */
import type {Problem} from '../lib/errors.js';
import {suggest} from './suggest.js';

type Schema = 'string' | 'bool' | 'int' | 'any' | 'stringMap' | {list: Schema} | {fields: Record<string, Schema>};

const str: Schema = 'string';
const strList: Schema = {list: str};
const objectTop = (spec: Schema, extra: Record<string, Schema> = {}): Schema => ({
  fields: {apiVersion: str, kind: str, metadata: 'any', spec, status: 'any', ...extra},
});

const mirrorRule = (withPolicy: boolean): Schema => ({
  fields: withPolicy ? {source: str, mirrors: strList, mirrorSourcePolicy: str} : {source: str, mirrors: strList},
});

/** ClusterImagePolicy / ImagePolicy spec (openshift/api config/v1 types_image_policy.go); []byte fields are base64 strings. */
const signaturePolicySpec: Schema = {
  fields: {
    scopes: strList,
    policy: {
      fields: {
        rootOfTrust: {
          fields: {
            policyType: str,
            publicKey: {fields: {keyData: str, rekorKeyData: str}},
            fulcioCAWithRekor: {fields: {fulcioCAData: str, rekorKeyData: str, fulcioSubject: {fields: {oidcIssuer: str, signedEmail: str}}}},
            pki: {fields: {caRootsData: str, caIntermediatesData: str, pkiCertificateSubject: {fields: {email: str, hostname: str}}}},
          },
        },
        signedIdentity: {
          fields: {
            matchPolicy: str,
            exactRepository: {fields: {repository: str}},
            remapIdentity: {fields: {prefix: str, signedPrefix: str}},
          },
        },
      },
    },
  },
};

/** Field schemas of the objects the tool reads (openshift/api). */
export const schemas: Record<string, Schema> = {
  Image: objectTop({
    fields: {
      allowedRegistriesForImport: {list: {fields: {domainName: str, insecure: 'bool'}}},
      externalRegistryHostnames: strList,
      additionalTrustedCA: {fields: {name: str}},
      registrySources: {
        fields: {insecureRegistries: strList, blockedRegistries: strList, allowedRegistries: strList, containerRuntimeSearchRegistries: strList},
      },
      imageStreamImportMode: str,
    },
  }),
  ImageDigestMirrorSet: objectTop({fields: {imageDigestMirrors: {list: mirrorRule(true)}}}),
  ImageTagMirrorSet: objectTop({fields: {imageTagMirrors: {list: mirrorRule(true)}}}),
  ImageContentSourcePolicy: objectTop({fields: {repositoryDigestMirrors: {list: mirrorRule(false)}}}),
  ClusterImagePolicy: objectTop(signaturePolicySpec),
  ImagePolicy: objectTop(signaturePolicySpec),
  ConfigMap: {fields: {apiVersion: str, kind: str, metadata: 'any', data: 'stringMap', binaryData: 'any', immutable: 'bool'}},
};

/** apiVersion each kind must have. */
export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  return typeof v === 'object' ? 'object' : typeof v;
}

export function checkSchema(v: unknown, s: Schema, path: string, out: Problem[], source: string): void {
  if (v === null || v === undefined || s === 'any') return;
  if (s === 'string' || s === 'bool' || s === 'int') {
    const want = s === 'string' ? 'string' : s === 'bool' ? 'boolean' : 'number';
    if (typeof v !== want) out.push({field: path, value: v, message: `must be a ${s === 'bool' ? 'boolean' : s}, not a ${typeName(v)}`, source});
    return;
  }
  if (s === 'stringMap') {
    if (typeName(v) !== 'object') out.push({field: path, message: `must be a map of strings, not a ${typeName(v)}`, source});
    else for (const [k, x] of Object.entries(v as object)) if (typeof x !== 'string') out.push({field: `${path}.${k}`, message: `must be a string, not a ${typeName(x)}`, source});
    return;
  }
  if ('list' in s) {
    if (!Array.isArray(v)) {
      out.push({field: path, message: `must be a list, not a ${typeName(v)}`, source});
      return;
    }
    v.forEach((x, i) => {
      // (A list of strings is most of a large manifest: its items need no path unless one is wrong.)
      if (s.list === 'string' && typeof x === 'string') return;
      if (x === null && s.list === 'string') out.push({field: `${path}[${i}]`, message: 'must be a string, not null', source});
      else checkSchema(x, s.list, `${path}[${i}]`, out, source);
    });
    return;
  }
  if (typeName(v) !== 'object') {
    out.push({field: path, message: `must be an object, not a ${typeName(v)}`, source});
    return;
  }
  const known = Object.keys(s.fields);
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    // Own keys only: `constructor` or `__proto__` in a manifest are unknown fields, not Object.prototype members.
    const sub = Object.hasOwn(s.fields, k) ? s.fields[k] : undefined;
    const field = path ? `${path}.${k}` : k;
    if (sub === undefined) {
      const hint = suggest(k, known);
      out.push({field, message: `unknown field${hint ? `; did you mean ${hint}?` : ` (known: ${known.join(', ')})`}`, source});
    } else checkSchema(x, sub, field, out, source);
  }
}

