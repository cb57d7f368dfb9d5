import type { SchemaModel } from './schema-models.ts';

/** What {@link validateStrictly} found wrong with one object. */
export interface SchemaViolations {
  /** The schema validator's messages (types, required fields, enums, formats). */
  readonly errors: readonly string[];
  /** Dotted paths of fields the schema does not define (`spec.replicass`). */
  readonly unknownFields: readonly string[];
}

/** The property reads the validator made on one object of the document. */
interface Inspection {
  readonly path: string;
  readonly target: object;
  readonly reads: Set<string>;
  enumerated: boolean;
}

/**
 * Validates `object` against `model`'s schema and also reports fields the schema does not
 * define, which kubernetes-models lets through (its validators ignore unknown properties).
 *
 * kubernetes-models ships its schemas as ajv standalone code, not JSON, so there is nothing
 * to recompile with `additionalProperties: false`. Instead the object is wrapped in proxies
 * that record which properties the validator reads: ajv's code tests every property the
 * schema defines (`data.replicas !== undefined`) and enumerates the keys of maps
 * (`additionalProperties`, e.g. labels). So in an object the validator looked into without
 * enumerating it, a key it never read is a key the schema does not know. Objects it never
 * looked into are free-form (`{}` schemas, preserve-unknown-fields) and are not judged.
 */
export function validateStrictly(model: SchemaModel, object: unknown): SchemaViolations {
  const inspections: Inspection[] = [];
  const errors: string[] = [];
  try {
    model.prototype.validate.call(track(object, '', inspections));
  } catch (error) {
    errors.push(error instanceof Error ? error.message : String(error));
  }
  const unknownFields = inspections
    .filter(({ target, reads, enumerated }) => !Array.isArray(target) && !enumerated && reads.size > 0)
    .flatMap(({ path, target, reads }) =>
      Object.keys(target)
        .filter((key) => !reads.has(key))
        .map((key) => (path === '' ? key : `${path}.${key}`)),
    );
  return { errors, unknownFields };
}

function track(value: unknown, path: string, inspections: Inspection[]): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const inspection: Inspection = { path, target: value, reads: new Set(), enumerated: false };
  inspections.push(inspection);
  const children = new Map<string, unknown>();
  return new Proxy(value, {
    get(target, key, receiver) {
      const child: unknown = Reflect.get(target, key, receiver);
      if (typeof key !== 'string') return child;
      inspection.reads.add(key);
      if (!Object.hasOwn(target, key)) return child;
      // One proxy per child, so that every read of it lands in the same inspection.
      if (!children.has(key)) children.set(key, track(child, childPath(target, path, key), inspections));
      return children.get(key);
    },
    ownKeys(target) {
      inspection.enumerated = true;
      return Reflect.ownKeys(target);
    },
  });
}

function childPath(parent: object, path: string, key: string): string {
  if (Array.isArray(parent)) return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}
