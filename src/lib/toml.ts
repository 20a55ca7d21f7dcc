/**
 * smol-toml's parse, remembered for the last few texts. A preview reads the same rendered
 * registries.conf in several places (the payload check, the node disruption rules, the semantic
 * comparison), and at 20,000 mirror rules each parse is ~0.25 s. The results are frozen, so no
 * reader can change what another one gets.
 */
import {parse} from 'smol-toml';

const KEPT = 4;
const parsed = new Map<string, unknown>();

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

export function parseToml(text: string): Record<string, unknown> {
  let doc = parsed.get(text);
  if (doc === undefined) {
    doc = deepFreeze(parse(text));
    parsed.set(text, doc);
    if (parsed.size > KEPT) parsed.delete(parsed.keys().next().value!);
  }
  return doc as Record<string, unknown>;
}
