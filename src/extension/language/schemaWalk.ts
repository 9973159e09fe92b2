// Looks a YAML path up in the mailing schema: the candidate sub-schemas at that path (a `oneOf` gives
// several), their properties, descriptions and example values. Pure (no `vscode`); the schema file
// is the single definition of the format, so completion and hover never repeat its words.
import mailingSchema from '../../../schemas/mailing.schema.json';
import type { YamlPath } from '../../core/index';

export interface JsonSchema {
  $ref?: string;
  description?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  required?: string[];
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  examples?: unknown[];
  definitions?: Record<string, JsonSchema>;
}

export const MAILING_SCHEMA = mailingSchema as unknown as JsonSchema;

/** Follows a local `$ref` ("#/definitions/address"); other references are left as they are. */
function deref(schema: JsonSchema, root: JsonSchema): JsonSchema {
  let current = schema;
  for (let guard = 0; current.$ref && guard < 16; guard++) {
    const match = /^#\/definitions\/(.+)$/.exec(current.$ref);
    const target = match ? root.definitions?.[match[1]] : undefined;
    if (!target) break;
    // Keep the referring schema's own words (a property's description beats the definition's).
    const own: JsonSchema = { ...current };
    delete own.$ref;
    current = { ...target, ...own };
  }
  return current;
}

/** The alternatives a schema stands for: itself and, flattened, its oneOf/anyOf/allOf branches. */
function alternatives(schema: JsonSchema, root: JsonSchema): JsonSchema[] {
  const resolved = deref(schema, root);
  const branches = [...(resolved.oneOf ?? []), ...(resolved.anyOf ?? []), ...(resolved.allOf ?? [])];
  if (branches.length === 0) return [resolved];
  const rest: JsonSchema = { ...resolved };
  delete rest.oneOf;
  delete rest.anyOf;
  delete rest.allOf;
  return [rest, ...branches.flatMap((branch) => alternatives({ ...branch, description: branch.description ?? rest.description }, root))];
}

/** Every candidate schema at `path` (empty when the path is not in the format). */
export function schemasAt(path: YamlPath, root: JsonSchema = MAILING_SCHEMA): JsonSchema[] {
  let current = alternatives(root, root);
  for (const segment of path) {
    const next: JsonSchema[] = [];
    for (const schema of current) {
      if (typeof segment === 'number') {
        if (schema.items) next.push(...alternatives(schema.items, root));
      } else if (schema.properties?.[segment]) {
        next.push(...alternatives(schema.properties[segment], root));
      } else if (typeof schema.additionalProperties === 'object') {
        next.push(...alternatives(schema.additionalProperties, root));
      }
    }
    current = next;
    if (current.length === 0) break;
  }
  return current;
}

export interface PropertyInfo {
  name: string;
  schema: JsonSchema;
  required: boolean;
}

/** The properties a mapping at `path` may have, first definition winning, required ones first. */
export function propertiesAt(path: YamlPath, root: JsonSchema = MAILING_SCHEMA): PropertyInfo[] {
  const byName = new Map<string, PropertyInfo>();
  for (const schema of schemasAt(path, root)) {
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      const required = schema.required?.includes(name) ?? false;
      const known = byName.get(name);
      if (!known) byName.set(name, { name, schema: alternatives(property, root)[0], required });
      else if (required) known.required = true;
    }
  }
  return [...byName.values()].sort((a, b) => Number(b.required) - Number(a.required));
}

/** The first description found at `path`: what hover shows. */
export function descriptionAt(path: YamlPath, root: JsonSchema = MAILING_SCHEMA): string | undefined {
  return schemasAt(path, root).find((schema) => schema.description)?.description;
}

/** The kind of value a property holds, for the snippet completion inserts after its key. */
export function valueShape(schema: JsonSchema): 'object' | 'array' | 'scalar' {
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.includes('object') || (schema.properties && !types.length)) return 'object';
  if (types.includes('array') || schema.items) return 'array';
  return 'scalar';
}

/** Values worth proposing at `path`: const, enum members, then scalar examples (deduplicated). */
export function valueSuggestionsAt(path: YamlPath, root: JsonSchema = MAILING_SCHEMA): { value: string; description?: string }[] {
  const seen = new Set<string>();
  const out: { value: string; description?: string }[] = [];
  const add = (value: unknown, description?: string) => {
    if (value === null || typeof value === 'object') return;
    const text = String(value);
    if (seen.has(text)) return;
    seen.add(text);
    out.push({ value: text, description });
  };
  for (const schema of schemasAt(path, root)) {
    if (schema.const !== undefined) add(schema.const, schema.description);
    for (const member of schema.enum ?? []) add(member, schema.description);
    for (const example of schema.examples ?? []) add(example, schema.description);
  }
  return out;
}

/**
 * A placeholder value for a key (the schema's first example; for a mapping without one, its
 * properties' examples), used by "add missing key" fixes.
 */
export function placeholderFor(path: YamlPath, root: JsonSchema = MAILING_SCHEMA): unknown {
  for (const schema of schemasAt(path, root)) {
    if (schema.const !== undefined) return schema.const;
    if (schema.examples?.length) return schema.examples[0];
    if (schema.enum?.length) return schema.enum[0];
  }
  const properties = propertiesAt(path, root).filter((property) => property.schema.examples?.length || property.schema.const !== undefined);
  if (properties.length > 0) return Object.fromEntries(properties.map((property) => [property.name, placeholderFor([...path, property.name], root)]));
  return '';
}
