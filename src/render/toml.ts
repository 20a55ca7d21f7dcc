/**
 * Canonical TOML for registries.conf, byte-compatible with what MCO writes
 * (BurntSushi/toml v1.5 encoding sysregistriesv2.V2RegistriesConf): simple keys
 * in struct order, then one `[[registry]]` per entry after a blank line, keys
 * indented two spaces, mirrors as `[[registry.mirror]]` indented once more.
 */
import type {RegistriesConf} from '../model/registries-conf.js';

const shortEscapes: Record<string, string> = {'\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r', '"': '\\"', '\\': '\\\\'};

/** A TOML basic string as the Go encoder quotes it: other controls as \u00XX, the rest raw UTF-8. */
const needsEscape = /[\x00-\x1f\x7f"\\]/;

export function tomlString(s: string): string {
  if (!needsEscape.test(s)) return '"' + s + '"';
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
  let out = '';
  if (conf.unqualifiedSearchRegistries !== undefined) out += `unqualified-search-registries = ${tomlStringArray(conf.unqualifiedSearchRegistries)}\n`;
  if (conf.credentialHelpers !== undefined) out += `credential-helpers = ${tomlStringArray(conf.credentialHelpers)}\n`;
  out += `short-name-mode = ${tomlString(conf.shortNameMode)}\n`;
  out += `additional-layer-store-auth-helper = ${tomlString(conf.additionalLayerStoreAuthHelper)}\n`;
  for (const reg of conf.registries) {
    out += `\n[[registry]]\n  prefix = ${tomlString(reg.prefix)}\n`;
    if (reg.location !== '') out += `  location = ${tomlString(reg.location)}\n`;
    if (reg.insecure) out += '  insecure = true\n';
    if (reg.blocked) out += '  blocked = true\n';
    if (reg.mirrorByDigestOnly) out += '  mirror-by-digest-only = true\n';
    for (const m of reg.mirrors) {
      out += `\n  [[registry.mirror]]\n    location = ${tomlString(m.location)}\n`;
      if (m.insecure) out += '    insecure = true\n';
      if (m.pullFromMirror !== '') out += `    pull-from-mirror = ${tomlString(m.pullFromMirror)}\n`;
    }
  }
  return out;
}
