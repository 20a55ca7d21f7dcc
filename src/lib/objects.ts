/** A plain object (a JSON/YAML mapping): not null, not an array. */
export const isPlainObject = (x: unknown): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x);
