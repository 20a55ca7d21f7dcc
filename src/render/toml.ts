/**
 * Canonical TOML for registries.conf, byte-compatible with what MCO writes
 * (BurntSushi/toml v1.5 encoding sysregistriesv2.V2RegistriesConf): simple keys
 * in struct order, then one `[[registry]]` per entry after a blank line, keys
 * indented two spaces, mirrors as `[[registry.mirror]]` indented once more.
 */
import type {RegistriesConf} from '../model/registries-conf.js';

const shortEscapes: Record<string, string> = {'\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r', '"': '\\"', '\\': '\\\\'};

/** A TOML basic string as the Go encoder quotes it: other controls as \u00XX, the rest raw UTF-8. */
export function tomlString(s: string): string {
  return (
    '"' +
    s.replace(/[\x00-\x1f\x7f"\\]/g, (c) => shortEscapes[c] ?? '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')) +
    '"'
  );
}

export function tomlStringArray(list: string[]): string {
  return '[' + list.map(tomlString).join(', ') + ']';
}

export function encodeRegistriesConf(conf: RegistriesConf): string {
  const out: string[] = [];
  if (conf.unqualifiedSearchRegistries !== undefined) out.push(`unqualified-search-registries = ${tomlStringArray(conf.unqualifiedSearchRegistries)}\n`);
  if (conf.credentialHelpers !== undefined) out.push(`credential-helpers = ${tomlStringArray(conf.credentialHelpers)}\n`);
  out.push(`short-name-mode = ${tomlString(conf.shortNameMode)}\n`);
  out.push(`additional-layer-store-auth-helper = ${tomlString(conf.additionalLayerStoreAuthHelper)}\n`);
  for (const reg of conf.registries) {
    out.push('\n[[registry]]\n');
    out.push(`  prefix = ${tomlString(reg.prefix)}\n`);
    if (reg.location !== '') out.push(`  location = ${tomlString(reg.location)}\n`);
    if (reg.insecure) out.push('  insecure = true\n');
    if (reg.blocked) out.push('  blocked = true\n');
    if (reg.mirrorByDigestOnly) out.push('  mirror-by-digest-only = true\n');
    for (const m of reg.mirrors) {
      out.push('\n  [[registry.mirror]]\n');
      out.push(`    location = ${tomlString(m.location)}\n`);
      if (m.insecure) out.push('    insecure = true\n');
      if (m.pullFromMirror !== '') out.push(`    pull-from-mirror = ${tomlString(m.pullFromMirror)}\n`);
    }
  }
  return out.join('');
}
