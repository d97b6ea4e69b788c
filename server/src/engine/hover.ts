/** Hover content: Markdown for a position in an analysed file. */
import type { Node } from 'yaml';
import { documentAt, shiftSpan, type FileAnalysis } from './analyze';
import type { EffectiveContext } from './effective';
import { capabilityItems, containers } from './kubernetes/walk';
import { capabilityCard, containerCard, fieldHover, podTable, type CardField, type CardOptions, type SpanLink } from './present/markdown';
import { mapAt, pairOf, seqAt, spanOf } from './yaml/nodes';
import type { Span } from './types';
import { dockerfileHover } from './dockerfile/hover';
import { dockerHover } from './docker/hover';
import { helmHover } from './helm/hover';

const within = (s: Span | undefined, o: number) => !!s && o >= s.start && o <= s.end;
const rangeOf = (n: Node | undefined): Span | undefined => (n?.range ? { start: n.range[0], end: n.range[2] } : undefined);

/** securityContext keys and the card row each decides (a hover on the key shows that row). */
const FIELDS: Readonly<Record<string, CardField>> = {
  runAsUser: 'user', runAsGroup: 'group', runAsNonRoot: 'runAsNonRoot', supplementalGroups: 'groups', fsGroup: 'groups',
  capabilities: 'capabilities', privileged: 'privileged', allowPrivilegeEscalation: 'escalation',
  seccompProfile: 'seccomp', appArmorProfile: 'appArmor', readOnlyRootFilesystem: 'readOnly',
};

const fieldAt = (sc: Parameters<typeof pairOf>[0], o: number): CardField | undefined => {
  const key = Object.keys(FIELDS).find((k) => within(spanOf(pairOf(sc, k)?.key as Node), o));
  return key ? FIELDS[key] : undefined;
};

/** Markdown for the hover at `offset`; with `link`, provenance cells link to the fields they name. */
export function hoverAt(analysis: FileAnalysis, offset: number, link?: SpanLink, options: CardOptions = {}): string | undefined {
  if (analysis.dockerfile) return dockerfileHover(analysis.dockerfile, offset);
  if (analysis.docker) return dockerHover(analysis.docker, offset, link);
  if (analysis.helm) return helmHover(analysis, offset, link);
  const at = documentAt(analysis, offset);
  const model = at?.unit.analysis.model;
  if (!at || !model) return undefined;
  // The model's spans are relative to its YAML document.
  const base = at.unit.offset;
  const fileLink: SpanLink | undefined = link && ((at) => link('start' in at ? shiftSpan(at, base) : at));
  const o = at.relative;
  const runtime = analysis.options.runtime;
  for (const item of capabilityItems(model)) if (within(item.span, o)) return capabilityCard(item.raw, runtime);
  const visits = [...containers(model)];
  for (const pod of model.pods) {
    const podCaps = mapAt(pod.securityContext, 'capabilities');
    for (const list of ['add', 'drop']) {
      for (const item of seqAt(podCaps, list)?.items ?? []) {
        if (within(spanOf(item as Node), o)) return `${capabilityCard(String((item as { value?: unknown }).value), runtime)}\n\n⚠ At pod level this is **not applied** to any container.`;
      }
    }
    const scPair = pairOf(pod.spec, 'securityContext');
    if (pod.securityContext && (within(rangeOf(pod.securityContext), o) || within(spanOf(scPair?.key as Node), o))) {
      const podContexts = visits.filter((v) => v.pod === pod).map((v) => v.context);
      // On a pod-level field: what it decides in each container (a container's own value may override it).
      const field = fieldAt(pod.securityContext, o);
      if (field) return podContexts.map((c) => fieldHover(c, field, runtime, fileLink, options).replace(/\n\n_`[^`]*`: hover its name for the whole card\._$/, '')).map((t, i) => `\`${podContexts[i].name}\` — ${t}`).join('\n\n---\n\n');
      return `**Pod securityContext of \`${pod.workload}\`** — effective per container:\n\n${podTable(podContexts)}`;
    }
  }
  for (const { container, context } of visits) {
    if (!within(rangeOf(container.node), o)) continue;
    const field = fieldAt(container.securityContext, o);
    return field ? fieldHover(context, field, runtime, fileLink, options) : containerCard(context, runtime, fileLink, options);
  }
  return undefined;
}
