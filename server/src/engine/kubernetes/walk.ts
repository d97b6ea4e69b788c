/** Iteration helpers shared by the Kubernetes rules. */
import type { YAMLMap, YAMLSeq } from 'yaml';
import type { Span } from '../types';
import { asScalar, mapAt, seqAt, spanOf } from '../yaml/nodes';
import type { EffectiveContext } from '../effective';
import type { ContainerModel, KubernetesDocument, PodModel } from './model';

export interface ContainerVisit {
  readonly pod: PodModel;
  readonly container: ContainerModel;
  readonly context: EffectiveContext;
}

/** Every container with its effective context. */
export function* containers(model: KubernetesDocument): Generator<ContainerVisit> {
  let i = 0;
  for (const pod of model.pods) {
    for (const container of pod.containers) {
      const context = model.contexts[i++];
      if (context) yield { pod, container, context };
    }
  }
}

export interface SecurityContextVisit {
  readonly level: 'pod' | 'container';
  readonly pod: PodModel;
  readonly container?: ContainerModel;
  readonly node: YAMLMap<unknown, unknown>;
}

export function* securityContexts(model: KubernetesDocument): Generator<SecurityContextVisit> {
  for (const pod of model.pods) {
    if (pod.securityContext) yield { level: 'pod', pod, node: pod.securityContext };
    for (const container of pod.containers) {
      if (container.securityContext) yield { level: 'container', pod, container, node: container.securityContext };
    }
  }
}

export function quoteList(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}

export interface CapabilityItem {
  readonly pod: PodModel;
  readonly container: ContainerModel;
  readonly list: 'add' | 'drop';
  readonly index: number;
  readonly raw: string;
  readonly span: Span;
  readonly seq: YAMLSeq<unknown>;
}

const capabilityItemsCache = new WeakMap<KubernetesDocument, readonly CapabilityItem[]>();

/**
 * Every name in a container's `capabilities.add`/`drop`, in Linux pods (Windows pods have no Linux capabilities).
 * Collected once per model: four rules and every hover read them.
 */
export function capabilityItems(model: KubernetesDocument): readonly CapabilityItem[] {
  const cached = capabilityItemsCache.get(model);
  if (cached) return cached;
  const items: CapabilityItem[] = [];
  for (const pod of model.pods) {
    if (pod.windows) continue;
    for (const container of pod.containers) {
      const caps = mapAt(container.securityContext, 'capabilities');
      for (const list of ['add', 'drop'] as const) {
        const seq = seqAt(caps, list);
        if (!seq) continue;
        for (let index = 0; index < seq.items.length; index++) {
          const s = asScalar(seq.items[index]);
          const span = spanOf(s);
          if (s && span && (typeof s.value === 'string' || typeof s.value === 'number')) {
            items.push({ pod, container, list, index, raw: String(s.value), span, seq });
          }
        }
      }
    }
  }
  capabilityItemsCache.set(model, items);
  return items;
}
