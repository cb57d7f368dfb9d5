import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  type YAMLMap,
} from 'yaml';

/** A `KEY: value` of a service's environment, with the line it is written on. */
export interface ComposeEnvEntry {
  readonly name: string;
  /** The value as written, before compose interpolates `${…}`. */
  readonly value: string;
  readonly line: number;
}

/** The parts of a compose service the lint reads. */
export interface ComposeService {
  readonly name: string;
  readonly line: number;
  readonly image: string | null;
  readonly build: { readonly context: string; readonly dockerfile: string; readonly line: number } | null;
  /** `command` as a list of words (a string is split on spaces, as compose does), or null. */
  readonly command: readonly string[] | null;
  /** After `<<` merge keys are applied (an explicit key wins over a merged one). */
  readonly environment: readonly ComposeEnvEntry[];
  readonly dependsOn: readonly { readonly name: string; readonly line: number }[];
}

/** A parsed compose file: its services and every scalar (compose interpolates them all). */
export interface ComposeDocument {
  readonly services: readonly ComposeService[];
  readonly scalars: readonly { readonly value: string; readonly line: number }[];
  readonly errors: readonly { readonly message: string; readonly line: number }[];
}

/** Parses a compose file with YAML merge keys (`<<: *anchor`), as compose does. */
export function parseComposeDocument(text: string): ComposeDocument {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { merge: true, lineCounter });
  const errors = doc.errors.map((error) => ({
    message: error.message.split('\n')[0] ?? error.message,
    line: error.linePos?.[0].line ?? 1,
  }));
  if (errors.length > 0) return { services: [], scalars: [], errors };
  const source: YamlSource = {
    doc,
    lineOf: (node) => (node?.range ? lineCounter.linePos(node.range[0]).line : 1),
  };

  const scalars: { value: string; line: number }[] = [];
  const walk = (node: unknown): void => {
    if (isScalar(node) && typeof node.value === 'string')
      scalars.push({ value: node.value, line: source.lineOf(node) });
    else if (isMap(node)) for (const pair of node.items) walk(pair.value);
    else if (isSeq(node)) for (const item of node.items) walk(item);
  };
  walk(doc.contents);

  const servicesNode = doc.get('services', true);
  const services = isMap(servicesNode)
    ? servicesNode.items.flatMap((pair) => {
        const node = resolve(doc, pair.value);
        return isScalar(pair.key) && isMap(node) ? [readService(source, String(pair.key.value), node)] : [];
      })
    : [];
  return { services, scalars, errors };
}

/** The parsed document and where its nodes are. */
interface YamlSource {
  readonly doc: Document;
  readonly lineOf: (node: Node | null | undefined) => number;
}

/** A map entry after merges: its value node and the line of its key. */
interface Entry {
  readonly value: Node | undefined;
  readonly line: number;
}

function readService(source: YamlSource, name: string, node: YAMLMap): ComposeService {
  const fields = mergedEntries(source, node);
  const build = fields.get('build');
  const buildFields = isMap(build?.value) ? mergedEntries(source, build.value) : null;
  const command = fields.get('command')?.value;
  return {
    name,
    line: source.lineOf(node),
    image: scalarText(fields.get('image')?.value),
    build:
      build && buildFields
        ? {
            context: scalarText(buildFields.get('context')?.value) ?? '.',
            dockerfile: scalarText(buildFields.get('dockerfile')?.value) ?? 'Dockerfile',
            line: build.line,
          }
        : null,
    command: isSeq(command)
      ? command.items.map((item) => scalarText(item as Node) ?? '')
      : (scalarText(command)?.split(/\s+/).filter(Boolean) ?? null),
    environment: readEnvironment(source, fields.get('environment')?.value),
    dependsOn: readDependsOn(source, fields.get('depends_on')?.value),
  };
}

/** `environment` as a map (merges applied) or as a list of `KEY=value`. */
function readEnvironment(source: YamlSource, node: Node | undefined): ComposeEnvEntry[] {
  if (isMap(node)) {
    return [...mergedEntries(source, node)].map(([name, entry]) => ({
      name,
      value: scalarText(entry.value) ?? '',
      line: entry.line,
    }));
  }
  if (!isSeq(node)) return [];
  return node.items.flatMap((item) => {
    const text = scalarText(item as Node) ?? '';
    const equals = text.indexOf('=');
    if (text === '') return [];
    const line = source.lineOf(item as Node);
    return [
      equals < 0
        ? { name: text, value: '', line }
        : { name: text.slice(0, equals), value: text.slice(equals + 1), line },
    ];
  });
}

/** `depends_on` as a map (with conditions) or as a list of names. */
function readDependsOn(source: YamlSource, node: Node | undefined): { name: string; line: number }[] {
  const keys = isMap(node) ? node.items.map((pair) => pair.key) : isSeq(node) ? node.items : [];
  return keys.map((key) => ({ name: scalarText(key as Node) ?? '', line: source.lineOf(key as Node) }));
}

/** The map's keys with `<<` merges applied: an explicit key wins, then the first merged source. */
function mergedEntries(source: YamlSource, map: YAMLMap): Map<string, Entry> {
  const own = new Map<string, Entry>();
  const merged = new Map<string, Entry>();
  for (const pair of map.items) {
    if (!isScalar(pair.key)) continue;
    if (!isMergeKey(pair.key.value)) {
      own.set(String(pair.key.value), {
        value: resolve(source.doc, pair.value),
        line: source.lineOf(pair.key),
      });
      continue;
    }
    for (const anchored of isSeq(pair.value) ? pair.value.items : [pair.value]) {
      const target = resolve(source.doc, anchored);
      if (!isMap(target)) continue;
      for (const [key, entry] of mergedEntries(source, target)) if (!merged.has(key)) merged.set(key, entry);
    }
  }
  return new Map([...merged, ...own]);
}

function scalarText(node: Node | undefined): string | null {
  return isScalar(node) && node.value !== null ? String(node.value) : null;
}

/** An alias's anchored node, or the node itself. */
function resolve(doc: Document, node: unknown): Node | undefined {
  if (isAlias(node)) return node.resolve(doc) as Node | undefined;
  return (node ?? undefined) as Node | undefined;
}

/** yaml parses `<<` with `merge: true` as a symbol key. */
function isMergeKey(key: unknown): boolean {
  return key === '<<' || (typeof key === 'symbol' && key.description === '<<');
}
