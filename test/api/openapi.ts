// A small validator for the subset of OpenAPI 3 / JSON Schema that PeerTube's search response schemas use (type,
// nullable, enum, properties, items, $ref, allOf, required, minimum, minLength, maxLength, maxItems, pattern, and
// the formats date-time, uuid, url, hostname, checked loosely). Schemas come from
// test/fixtures/openapi/search-schemas.json, extracted from PeerTube's openapi.yaml (see test/fixtures/SOURCES.md).
import { readFileSync } from 'node:fs'

/** A schema node of the extracted spec. */
export type Schema = { [key: string]: any }

/** The extracted component schemas, by name. */
export function loadSchemas(): Record<string, Schema> {
  const doc = JSON.parse(readFileSync(new URL('../fixtures/openapi/search-schemas.json', import.meta.url), 'utf8'))
  return doc.schemas
}

const FORMATS: Record<string, (s: string) => boolean> = {
  'date-time': (s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)),
  uuid: (s) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s),
  url: (s) => /^https?:\/\/[^\s/]+/.test(s),
  // Hosts may carry a port (the test federation's do), which strict "hostname" would refuse.
  hostname: (s) => /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/i.test(s),
}

/** Validates a value against a schema; returns the list of violations as `path: message` (empty when valid). */
export function validate(value: unknown, schema: Schema, schemas: Record<string, Schema>, path = '$'): string[] {
  if (value === null && schema.nullable) return []
  if (schema.$ref) {
    const name = String(schema.$ref).replace('#/components/schemas/', '')
    const target = schemas[name]
    if (!target) return [`${path}: unknown $ref ${schema.$ref}`]
    return validate(value, target, schemas, path)
  }
  if (value === null) {
    const constrains = schema.type ?? schema.properties ?? schema.items ?? schema.allOf ?? schema.enum
    return constrains === undefined ? [] : [`${path}: null is not allowed`]
  }
  const errors: string[] = []
  for (const part of schema.allOf ?? []) errors.push(...validate(value, part, schemas, path))
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${path}: ${JSON.stringify(value)} not in enum`)
  const type = schema.type ?? (schema.properties ? 'object' : schema.items ? 'array' : undefined)
  switch (type) {
    case 'string':
      if (typeof value !== 'string') return [...errors, `${path}: expected a string, got ${JSON.stringify(value)}`]
      if (schema.minLength !== undefined && value.length < schema.minLength) errors.push(`${path}: shorter than ${schema.minLength}`)
      if (schema.maxLength !== undefined && value.length > schema.maxLength) errors.push(`${path}: longer than ${schema.maxLength}`)
      if (schema.pattern) {
        // The spec writes some patterns as JavaScript literals ("/^[a-z]+$/").
        const source = String(schema.pattern).replace(/^\/(.*)\/$/, '$1')
        if (!new RegExp(source).test(value)) errors.push(`${path}: ${JSON.stringify(value)} does not match ${schema.pattern}`)
      }
      if (schema.format && FORMATS[schema.format] && !FORMATS[schema.format]!(value)) errors.push(`${path}: not a ${schema.format}: ${value}`)
      break
    case 'integer':
    case 'number':
      if (typeof value !== 'number' || (type === 'integer' && !Number.isInteger(value))) return [...errors, `${path}: expected ${type}, got ${JSON.stringify(value)}`]
      if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${path}: below ${schema.minimum}`)
      break
    case 'boolean':
      if (typeof value !== 'boolean') errors.push(`${path}: expected a boolean, got ${JSON.stringify(value)}`)
      break
    case 'array':
      if (!Array.isArray(value)) return [...errors, `${path}: expected an array`]
      if (schema.maxItems !== undefined && value.length > schema.maxItems) errors.push(`${path}: more than ${schema.maxItems} items`)
      if (schema.items) value.forEach((item, i) => errors.push(...validate(item, schema.items, schemas, `${path}[${i}]`)))
      break
    case 'object':
      if (typeof value !== 'object' || Array.isArray(value)) return [...errors, `${path}: expected an object`]
      for (const key of schema.required ?? []) if (!(key in (value as object))) errors.push(`${path}: missing ${key}`)
      for (const [key, sub] of Object.entries(schema.properties ?? {})) {
        if (key in (value as object)) errors.push(...validate((value as Record<string, unknown>)[key], sub as Schema, schemas, `${path}.${key}`))
      }
      break
  }
  return errors
}
