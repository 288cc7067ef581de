/** A starting JSON object for a tool's input schema: required properties with type-appropriate blanks. */
export function skeletonFor(schema: Record<string, unknown>): Record<string, unknown> {
  const props = (schema.properties ?? {}) as Record<string, { type?: unknown; default?: unknown; enum?: unknown[] }>;
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  const out: Record<string, unknown> = {};
  for (const key of required.length ? required : Object.keys(props)) {
    const p = props[key] ?? {};
    if (p.default !== undefined) out[key] = p.default;
    else if (Array.isArray(p.enum) && p.enum.length) out[key] = p.enum[0];
    else if (p.type === "number" || p.type === "integer") out[key] = 0;
    else if (p.type === "boolean") out[key] = false;
    else if (p.type === "array") out[key] = [];
    else if (p.type === "object") out[key] = {};
    else out[key] = "";
  }
  return out;
}
