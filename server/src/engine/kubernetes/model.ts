/**
 * The Kubernetes model of one YAML document: its resources, the pod specs they hold (a Pod's own,
 * a workload's template, a CronJob's job template, List items) and their containers, with spans.
 */
import type { Document, Node, YAMLMap } from 'yaml';
import type { Span } from '../types';
import { asMap, mapAt, pairOf, scalarAt, seqAt, spanOf, stringAt, type YamlPath } from '../yaml/nodes';
import type { ContainerKind, EffectiveContext } from '../effective';

export type ContainerListKey = 'initContainers' | 'containers' | 'ephemeralContainers';
export const CONTAINER_LISTS: readonly { key: ContainerListKey; kind: ContainerKind }[] = [
  { key: 'initContainers', kind: 'initContainer' },
  { key: 'containers', kind: 'container' },
  { key: 'ephemeralContainers', kind: 'ephemeralContainer' },
];

export interface ContainerModel {
  readonly kind: ContainerKind;
  readonly list: ContainerListKey;
  readonly index: number;
  readonly node: YAMLMap<unknown, unknown>;
  readonly name: string;
  /** The `name` value, or the item's start when unnamed. */
  readonly nameSpan: Span;
  readonly image?: string;
  readonly securityContext?: YAMLMap<unknown, unknown>;
  /** Path from the pod object (the map holding `metadata` and `spec`) to this container. */
  readonly path: YamlPath;
}

export interface ResourceModel {
  readonly kind: string;
  readonly name: string;
  readonly node: YAMLMap<unknown, unknown>;
  /** The `kind` value span: where resource-level findings go. */
  readonly kindSpan: Span;
  /** Rule ids from the `secctx.dev/ignore` annotation. */
  readonly ignored: readonly string[];
}

export interface PodModel {
  readonly resource: ResourceModel;
  /** `Deployment/web`, `Pod/debug`, `CronJob/backup`. */
  readonly workload: string;
  /** The pod-like object: `{metadata, spec}` (the Pod itself or a template). */
  readonly podObject: YAMLMap<unknown, unknown>;
  readonly spec: YAMLMap<unknown, unknown>;
  readonly securityContext?: YAMLMap<unknown, unknown>;
  readonly containers: readonly ContainerModel[];
  readonly windows: boolean;
}

export interface KubernetesDocument {
  readonly doc: Document.Parsed;
  readonly resources: readonly ResourceModel[];
  readonly pods: readonly PodModel[];
  /** Effective contexts of every container, in document order; filled by the resolver. */
  readonly contexts: EffectiveContext[];
}

export function isKubernetesResource(node: unknown): node is YAMLMap<unknown, unknown> {
  const map = asMap(node);
  return !!map && typeof stringAt(map, 'apiVersion') === 'string' && typeof stringAt(map, 'kind') === 'string';
}

function resourceModel(node: YAMLMap<unknown, unknown>): ResourceModel {
  const kind = stringAt(node, 'kind') ?? '';
  const metadata = mapAt(node, 'metadata');
  const name = stringAt(metadata, 'name') ?? stringAt(metadata, 'generateName') ?? '';
  const ignore = stringAt(mapAt(metadata, 'annotations'), 'secctx.dev/ignore');
  const kindSpan = spanOf(scalarAt(node, 'kind')) ?? spanOf(node) ?? { start: 0, end: 0 };
  return { kind, name, node, kindSpan, ignored: ignore ? ignore.split(',').map((s) => s.trim()).filter(Boolean) : [] };
}

/** Built-in kinds whose `spec.template` is a PodTemplateSpec. */
const POD_TEMPLATE_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job']);

/** Where a resource keeps its pod: the pod object (holding metadata + spec). */
function podObjectOf(res: ResourceModel): YAMLMap<unknown, unknown> | undefined {
  const { node, kind } = res;
  if (kind === 'Pod') return node;
  if (kind === 'PodTemplate') return mapAt(node, 'template');
  const spec = mapAt(node, 'spec');
  if (kind === 'CronJob') return mapAt(mapAt(mapAt(spec, 'jobTemplate'), 'spec'), 'template');
  const template = mapAt(spec, 'template');
  const templateSpec = mapAt(template, 'spec');
  // A built-in workload's template is a pod template even without `containers` (the API server then
  // says `containers` is required); any other kind's `spec.template` only when it holds containers.
  if (template && templateSpec && (POD_TEMPLATE_KINDS.has(kind) || seqAt(templateSpec, 'containers'))) return template;
  return undefined;
}

function containersOf(spec: YAMLMap<unknown, unknown>): ContainerModel[] {
  const out: ContainerModel[] = [];
  for (const { key, kind } of CONTAINER_LISTS) {
    const seq = seqAt(spec, key);
    seq?.items.forEach((item, index) => {
      const node = asMap(item);
      if (!node) return;
      const nameNode = scalarAt(node, 'name');
      const name = stringAt(node, 'name') ?? `${key}[${index}]`;
      out.push({
        kind,
        list: key,
        index,
        node,
        name,
        nameSpan: spanOf(nameNode) ?? spanOf(node) ?? { start: 0, end: 0 },
        image: stringAt(node, 'image'),
        securityContext: mapAt(node, 'securityContext'),
        path: ['spec', key, index],
      });
    });
  }
  return out;
}

export function buildKubernetesDocument(doc: Document.Parsed): KubernetesDocument {
  const resources: ResourceModel[] = [];
  const visit = (node: unknown, depth: number) => {
    if (!isKubernetesResource(node) || depth > 4) return;
    const res = resourceModel(node);
    resources.push(res);
    if (res.kind === 'List' || res.kind.endsWith('List')) {
      for (const item of seqAt(node, 'items')?.items ?? []) visit(item, depth + 1);
    }
  };
  visit(doc.contents, 0);
  const pods: PodModel[] = [];
  for (const resource of resources) {
    const podObject = podObjectOf(resource);
    const spec = mapAt(podObject, 'spec');
    if (!podObject || !spec) continue;
    const os = stringAt(mapAt(spec, 'os'), 'name');
    pods.push({
      resource,
      workload: `${resource.kind}/${resource.name}`,
      podObject,
      spec,
      securityContext: mapAt(spec, 'securityContext'),
      containers: containersOf(spec),
      windows: os === 'windows',
    });
  }
  return { doc, resources, pods, contexts: [] };
}

/** The span to squiggle for a field: the key, or where the field would go. */
export function keySpanAt(map: YAMLMap<unknown, unknown> | undefined, key: string): Span | undefined {
  const pair = pairOf(map, key);
  return pair ? spanOf(pair.key as Node) : undefined;
}
