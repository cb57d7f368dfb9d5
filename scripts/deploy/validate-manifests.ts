// `pnpm validate:manifests [--allow-missing-kubectl]`: renders kubernetes/base and every
// overlay with `kubectl kustomize`, checks every object (schemas, KEDA triggers against the
// code, one autoscaler per workload, environment names), prints a summary per kustomization
// and every finding as `<overlay> <kind>/<name>: <message>`, and exits 1 on any finding.
// Without kubectl it exits 1, or 0 with --allow-missing-kubectl (it says it skipped).
//
// `pnpm validate:manifests --file <rendered.yaml> [--label <name>] [--namespace <ns>]
// [--same-objects-as <dir>]` checks Lacquer's own objects in a rendered file (`helm template` output; the NATS and
// MongoDB subcharts' objects are left to their charts) the same way, and with
// --same-objects-as that they are the objects that kustomization renders, by kind and name.
import { readFile } from 'node:fs/promises';
import { basename, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkManifests } from './manifests/check-manifests.ts';
import { compareObjects } from './manifests/compare-objects.ts';
import { isLacquerObject, type KubernetesObject } from './manifests/kubernetes-object.ts';
import { listKustomizations } from './manifests/list-kustomizations.ts';
import { formatFinding, type ManifestFinding } from './manifests/manifest-finding.ts';
import { parseManifests } from './manifests/parse-manifests.ts';
import { isKubectlAvailable, renderKustomization } from './manifests/render-kustomization.ts';
import { serviceEnvNames } from './manifests/service-env-names.ts';

const KUBERNETES_DIR = fileURLToPath(new URL('../../kubernetes', import.meta.url));
const { values: options } = parseArgs({
  options: {
    'allow-missing-kubectl': { type: 'boolean', default: false },
    file: { type: 'string' },
    label: { type: 'string' },
    namespace: { type: 'string', default: 'default' },
    'same-objects-as': { type: 'string' },
  },
});

const envNames = serviceEnvNames();

/** Checks one rendering and prints its summary and findings; true when it has none. */
function report(name: string, objects: readonly KubernetesObject[], extra: ManifestFinding[] = []): boolean {
  const findings = [...checkManifests(objects, envNames), ...extra];
  console.log(`${name}: ${objects.length} objects (${summarizeKinds(objects)}), ${findings.length} findings`);
  for (const finding of findings) console.log(formatFinding(name, finding));
  return findings.length === 0;
}

if (options.file !== undefined) {
  // `helm template` leaves the namespace to the install (--namespace): put it in.
  const objects = parseManifests(await readFile(options.file, 'utf8'))
    .filter(isLacquerObject)
    .map((object) => ({ ...object, metadata: { namespace: options.namespace, ...object.metadata } }));
  const expected = options['same-objects-as'];
  const extra =
    expected === undefined ? [] : compareObjects(objects, await renderObjects(expected), expected);
  process.exit(report(options.label ?? basename(options.file), objects, extra) ? 0 : 1);
}

if (!(await isKubectlAvailable())) {
  console.error(
    `validate-manifests: kubectl is not on PATH: SKIPPED rendering and validating ${KUBERNETES_DIR}.`,
  );
  process.exit(options['allow-missing-kubectl'] ? 0 : 1);
}

let failed = false;
for (const { name, directory } of await listKustomizations(KUBERNETES_DIR)) {
  let objects: KubernetesObject[];
  try {
    objects = await renderObjects(directory);
  } catch (error) {
    const finding: ManifestFinding = {
      code: 'RENDER_FAILED',
      kind: 'Kustomization',
      name: relative(process.cwd(), directory),
      message: error instanceof Error ? error.message : String(error),
    };
    console.log(formatFinding(name, finding));
    failed = true;
    continue;
  }
  failed = !report(name, objects) || failed;
}
process.exit(failed ? 1 : 0);

async function renderObjects(directory: string): Promise<KubernetesObject[]> {
  return parseManifests(await renderKustomization(directory));
}

/** `ConfigMap 1, Deployment 4, …`, sorted by kind. */
function summarizeKinds(objects: readonly KubernetesObject[]): string {
  const counts = new Map<string, number>();
  for (const { kind } of objects) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return [...counts]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, count]) => `${kind} ${count}`)
    .join(', ');
}
