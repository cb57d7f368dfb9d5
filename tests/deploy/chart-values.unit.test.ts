import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { platformEnv, portEnv, workerEnv } from '@lacquer/runtime';
import { Ajv, type ErrorObject } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { gatewayEnv } from '../../services/gateway/src/config.ts';

// The chart's values.yaml and examples against values.schema.json (what `helm install` checks
// before it renders), and the environment the templates set against what the code reads.
// helm is not installable here: rendering itself is CI's `helm template` step where helm exists.

const CHART_DIR = fileURLToPath(new URL('../../charts/lacquer/', import.meta.url));
const TEMPLATES_DIR = join(CHART_DIR, 'templates');
const EXAMPLES_DIR = join(CHART_DIR, 'examples');

type Values = Record<string, unknown>;

const readText = (path: string): string => readFileSync(path, 'utf8');
const readYaml = (path: string): Values => parse(readText(path)) as Values;

const schema = JSON.parse(readText(join(CHART_DIR, 'values.schema.json'))) as Record<string, unknown>;
const defaults = readYaml(join(CHART_DIR, 'values.yaml'));
// allErrors: a test that expects one rejection sees every one; union types for quantities and nullable numbers.
const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);

function isObject(value: unknown): value is Values {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Helm's coalescing of `-f` files over values.yaml: maps merge, lists and scalars replace, null deletes. */
function mergeValues(base: Values, override: Values): Values {
  const merged: Values = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = merged[key];
    if (value === null) delete merged[key];
    else if (isObject(current) && isObject(value)) merged[key] = mergeValues(current, value);
    else merged[key] = value;
  }
  return merged;
}

/** values.yaml with `override` on top, as `helm install -f` would validate it. */
function withOverride(override: Values): Values {
  return mergeValues(defaults, override);
}

function errorsOf(values: Values): readonly ErrorObject[] {
  return validate(values) ? [] : (validate.errors ?? []);
}

function describeErrors(errors: readonly ErrorObject[]): string {
  return errors.map((error) => `${error.instancePath || '/'} ${error.message ?? ''}`).join('; ');
}

describe('values.schema.json', () => {
  it('accepts values.yaml', () => {
    const errors = errorsOf(defaults);
    expect(errors, describeErrors(errors)).toEqual([]);
  });

  const examples = readdirSync(EXAMPLES_DIR).filter((file) => file.endsWith('.yaml'));

  it('has the four documented examples', () => {
    expect(examples).toEqual(
      expect.arrayContaining(['external-services.yaml', 'minio.yaml', 'hpa-only.yaml', 'dev.yaml']),
    );
  });

  it.each(examples)('accepts examples/%s over values.yaml', (file) => {
    const errors = errorsOf(withOverride(readYaml(join(EXAMPLES_DIR, file))));
    expect(errors, describeErrors(errors)).toEqual([]);
  });

  it('rejects a misspelt key, at the top and deep down', () => {
    expect(errorsOf(withOverride({ kedaa: { enabled: false } }))).toContainEqual(
      expect.objectContaining({ keyword: 'additionalProperties', params: { additionalProperty: 'kedaa' } }),
    );
    expect(
      errorsOf(withOverride({ workers: { mastering: { autoscaling: { lagTreshold: '5' } } } })),
    ).toContainEqual(
      expect.objectContaining({
        instancePath: '/workers/mastering/autoscaling',
        keyword: 'additionalProperties',
      }),
    );
    expect(errorsOf(withOverride({ workers: { analyser: { enabled: true } } }))).toContainEqual(
      expect.objectContaining({ instancePath: '/workers', keyword: 'additionalProperties' }),
    );
  });

  it('rejects a wrong type', () => {
    expect(errorsOf(withOverride({ keda: { enabled: 'yes' } }))).toContainEqual(
      expect.objectContaining({ instancePath: '/keda/enabled', keyword: 'type' }),
    );
    expect(errorsOf(withOverride({ gateway: { replicas: '2' } }))).toContainEqual(
      expect.objectContaining({ instancePath: '/gateway/replicas', keyword: 'type' }),
    );
    expect(errorsOf(withOverride({ nats: { enabled: 'false' } }))).toContainEqual(
      expect.objectContaining({ instancePath: '/nats/enabled', keyword: 'type' }),
    );
  });

  it('rejects out-of-range numbers and bad enums', () => {
    expect(errorsOf(withOverride({ workers: { analyzer: { slots: 17 } } }))).toContainEqual(
      expect.objectContaining({ instancePath: '/workers/analyzer/slots', keyword: 'maximum' }),
    );
    expect(
      errorsOf(withOverride({ workers: { decision: { autoscaling: { minReplicas: -1 } } } })),
    ).toContainEqual(
      expect.objectContaining({
        instancePath: '/workers/decision/autoscaling/minReplicas',
        keyword: 'minimum',
      }),
    );
    expect(errorsOf(withOverride({ workers: { mastering: { ackWaitSeconds: 2 } } }))).toContainEqual(
      expect.objectContaining({ instancePath: '/workers/mastering/ackWaitSeconds', keyword: 'minimum' }),
    );
    expect(errorsOf(withOverride({ readModel: { type: 'postgres' } }))).toContainEqual(
      expect.objectContaining({ instancePath: '/readModel/type', keyword: 'enum' }),
    );
  });

  it('takes lagThreshold as a positive integer or a positive integer string, nothing else', () => {
    const lag = (lagThreshold: unknown) =>
      errorsOf(withOverride({ workers: { analyzer: { autoscaling: { lagThreshold } } } }));
    expect(lag(25)).toEqual([]);
    expect(lag('25')).toEqual([]);
    for (const bad of [0, '0', '010', 'ten', 2.5, -3]) {
      expect(lag(bad), `lagThreshold ${JSON.stringify(bad)}`).not.toEqual([]);
    }
  });

  it('checks API key hashes and URLs by pattern', () => {
    expect(errorsOf(withOverride({ secrets: { apiKeys: ['studio:not-a-hash'] } }))).not.toEqual([]);
    expect(errorsOf(withOverride({ secrets: { adminApiKeys: ['0'.repeat(63)] } }))).not.toEqual([]);
    expect(errorsOf(withOverride({ s3: { endpoint: 'minio:9000' } }))).not.toEqual([]);
    expect(errorsOf(withOverride({ externalNats: { monitoringEndpoint: 'http://nats:8222' } }))).not.toEqual(
      [],
    );
  });

  it('leaves the subcharts open but for their enabled flag', () => {
    expect(errorsOf(withOverride({ nats: { config: { cluster: { enabled: true, replicas: 3 } } } }))).toEqual(
      [],
    );
    expect(errorsOf(withOverride({ mongodb: { architecture: 'replicaset' } }))).toEqual([]);
    expect(errorsOf(withOverride({ global: { imageRegistry: 'registry.example' } }))).toEqual([]);
  });

  it('closes every object of its own (additionalProperties false, or a map with typed keys and values)', () => {
    const open: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (!isObject(node)) return;
      const typedMap = isObject(node.additionalProperties) && isObject(node.propertyNames);
      if (
        node.type === 'object' &&
        isObject(node.properties) &&
        node.additionalProperties !== false &&
        !typedMap
      ) {
        open.push(path);
      }
      for (const [key, child] of Object.entries(node)) walk(child, `${path}/${key}`);
    };
    walk(schema, '#');
    // The subcharts' values and Helm's global are theirs, not the chart's.
    expect(open.sort()).toEqual(['#/properties/mongodb', '#/properties/nats']);
  });
});

/** The names each part of the code reads from the environment (the zod schemas' keys). */
const PLATFORM_NAMES = new Set(Object.keys(platformEnv.shape));
const WORKER_NAMES = new Set(Object.keys(workerEnv.shape));
const GATEWAY_NAMES = new Set([
  ...PLATFORM_NAMES,
  ...Object.keys(portEnv(8080).shape),
  ...Object.keys(gatewayEnv.shape),
]);
/** Read by the OpenTelemetry and AWS SDKs themselves, not by a zod schema. */
const SDK_PREFIXES = ['OTEL_', 'AWS_'];

/** The names among `names` that neither `known` nor an SDK reads. */
function unknownNames(names: Iterable<string>, known: ReadonlySet<string>): string[] {
  return [...names].filter((name) => !known.has(name) && !SDK_PREFIXES.some((p) => name.startsWith(p)));
}

/** `- name: SOME_VAR` entries of env lists (other `- name:` entries are lowercase or templated). */
function envNamesIn(template: string): Set<string> {
  return new Set([...template.matchAll(/^\s*- name: ([A-Z][A-Z0-9_]*)\s*$/gm)].map((match) => match[1]!));
}

/** The keys of a ConfigMap's `data` or a Secret's `stringData` (two-space indented, upper case). */
function dataKeysIn(template: string): Set<string> {
  return new Set([...template.matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map((match) => match[1]!));
}

const template = (file: string): string => readText(join(TEMPLATES_DIR, file));

/** A template without its Go-template comments (slash-star inside the braces, trimmed or not). */
const withoutComments = (text: string): string => text.replace(/\{\{-? *\/\*[\s\S]*?\*\/ *-?\}\}/g, '');

describe('the environment the chart sets', () => {
  it('finds unknown names (the check can fail)', () => {
    expect(unknownNames(['NATS_URL', 'NATS_URLS', 'OTEL_SERVICE_NAME'], PLATFORM_NAMES)).toEqual([
      'NATS_URLS',
    ]);
  });

  it('puts in the ConfigMap only names every service reads', () => {
    const keys = dataKeysIn(template('configmap.yaml'));
    expect([...keys]).toEqual(
      expect.arrayContaining(['NATS_URL', 'LACQUER_BLOB_STORE', 'S3_BUCKET', 'LACQUER_READ_MODEL', 'HOST']),
    );
    expect(unknownNames(keys, PLATFORM_NAMES)).toEqual([]);
  });

  it('puts in the Secret only names the gateway or every service reads', () => {
    const keys = dataKeysIn(template('secret.yaml'));
    expect([...keys]).toEqual(
      expect.arrayContaining(['LACQUER_API_KEYS', 'MONGODB_URL', 'AWS_ACCESS_KEY_ID']),
    );
    expect(unknownNames(keys, GATEWAY_NAMES)).toEqual([]);
  });

  it('sets on the gateway only names the gateway reads', () => {
    const names = envNamesIn(template('gateway-deployment.yaml'));
    expect([...names]).toEqual(
      expect.arrayContaining(['PORT', 'OTEL_SERVICE_NAME', 'LACQUER_MAX_UPLOAD_BYTES']),
    );
    expect(unknownNames(names, GATEWAY_NAMES)).toEqual([]);
  });

  it('sets on the workers only names a worker reads', () => {
    const names = envNamesIn(template('worker-deployment.yaml'));
    expect([...names]).toEqual(
      expect.arrayContaining(['PORT', 'LACQUER_WORKER_SLOTS', 'LACQUER_SHUTDOWN_GRACE_SECONDS']),
    );
    expect(unknownNames(names, WORKER_NAMES)).toEqual([]);
  });

  it('takes from other Secrets only names every service reads', () => {
    const names = envNamesIn(template('_helpers.tpl'));
    expect([...names]).toEqual(expect.arrayContaining(['MONGODB_URL', 'AWS_SECRET_ACCESS_KEY']));
    expect(unknownNames(names, PLATFORM_NAMES)).toEqual([]);
  });
});

describe('the chart templates', () => {
  const files = readdirSync(TEMPLATES_DIR).filter((file) => /\.(yaml|tpl|txt)$/.test(file));

  // No helm here: at least every block action must have its end, or the chart cannot load.
  it.each(files)('%s closes every if, range, with and define', (file) => {
    const actions = withoutComments(template(file)).matchAll(/\{\{-?\s*(if|range|with|define|block|end)\b/g);
    let depth = 0;
    for (const [, keyword] of actions) {
      depth += keyword === 'end' ? -1 : 1;
      expect(depth, `${file}: an end without its block`).toBeGreaterThanOrEqual(0);
    }
    expect(depth, `${file}: a block without its end`).toBe(0);
  });

  it('name no stream or consumer: they come from files/pipeline.json', () => {
    for (const file of files) {
      expect(withoutComments(template(file)), file).not.toMatch(/\b(JOBS|analyzer|decision|mastering)\b/);
    }
    expect(template('_helpers.tpl')).toContain('.Files.Get "files/pipeline.json" | fromJson');
  });
});
