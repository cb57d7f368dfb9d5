// The strict schema check on hand-written objects: it runs without kubectl.
import { Deployment } from 'kubernetes-models/apps/v1';
import { ConfigMap } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { schemaModelOf } from '../../scripts/deploy/manifests/schema-models.ts';
import { validateStrictly } from '../../scripts/deploy/manifests/validate-strictly.ts';

const labels = { 'app.kubernetes.io/component': 'decision' };

function deployment(spec: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'lacquer-decision', labels },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'decision', image: 'ghcr.io/lacquer/lacquer:0.1.0' }] },
      },
      ...spec,
    },
  };
}

describe('validateStrictly', () => {
  it('accepts a valid object, map keys (labels, ConfigMap data) included', () => {
    expect(validateStrictly(Deployment, deployment())).toEqual({ errors: [], unknownFields: [] });
    const config = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { ANY_NAME: 'x' } };
    expect(validateStrictly(ConfigMap, config)).toEqual({ errors: [], unknownFields: [] });
  });

  it('reports fields the schema does not define, at any depth, which validate() lets through', () => {
    const misspelt = deployment({ replicass: 2 });
    Object.assign(misspelt.spec.template.spec.containers[0]!, { imagee: 'x' });
    expect(() => new Deployment(misspelt as never).validate()).not.toThrow();
    expect(validateStrictly(Deployment, misspelt)).toEqual({
      errors: [],
      unknownFields: ['spec.replicass', 'spec.template.spec.containers[0].imagee'],
    });
  });

  it('reports schema violations', () => {
    const { errors } = validateStrictly(Deployment, deployment({ replicas: 'two' }));
    expect(errors).toHaveLength(1);
  });

  it('knows the kinds the manifests use and no others', () => {
    expect(schemaModelOf('keda.sh/v1alpha1', 'ScaledObject')?.kind).toBe('ScaledObject');
    expect(schemaModelOf('policy/v1', 'PodDisruptionBudget')?.kind).toBe('PodDisruptionBudget');
    expect(schemaModelOf('autoscaling/v1', 'HorizontalPodAutoscaler')).toBeUndefined();
    expect(schemaModelOf('example.com/v1', 'Widget')).toBeUndefined();
  });
});
