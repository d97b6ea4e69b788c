/** Hover content: Markdown for a position in an analysed file. */
import type { Node } from 'yaml';
import { documentAt, shiftSpan, type FileAnalysis } from './analyze';
import type { EffectiveContext } from './effective';
import { capabilityItems, containers } from './kubernetes/walk';
import { capabilityCard, containerCard, describeSource, podTable, type SpanLink } from './present/markdown';
import { mapAt, pairOf, seqAt, spanOf } from './yaml/nodes';
import type { Span } from './types';
import { dockerfileHover } from './dockerfile/hover';
import { dockerHover } from './docker/hover';
import { helmHover } from './helm/hover';

const within = (s: Span | undefined, o: number) => !!s && o >= s.start && o <= s.end;
const rangeOf = (n: Node | undefined): Span | undefined => (n?.range ? { start: n.range[0], end: n.range[2] } : undefined);

const PRECEDENCE: Record<string, (c: EffectiveContext, link?: SpanLink) => string> = {
  runAsUser: (c, link) => `**User** → ${c.user.value ?? 'unknown'}: ${describeSource(c.user, link)}. Order: container \`runAsUser\` → pod \`runAsUser\` → image \`USER\` → root.`,
  runAsGroup: (c, link) => `**Group** → ${c.group.value ?? 'unknown'}: ${describeSource(c.group, link)}. Order: container \`runAsGroup\` → pod \`runAsGroup\` → the image user's group → 0.`,
  runAsNonRoot: (c, link) => `**runAsNonRoot** → ${c.runAsNonRoot.value}: ${describeSource(c.runAsNonRoot, link)}. The container value overrides the pod value; the kubelet checks it when it creates the container.`,
};

/** Markdown for the hover at `offset`; with `link`, provenance cells link to the fields they name. */
export function hoverAt(analysis: FileAnalysis, offset: number, link?: SpanLink): string | undefined {
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
      const field = Object.keys(PRECEDENCE).find((k) => within(spanOf(pairOf(pod.securityContext, k)?.key as Node), o));
      const notes = field ? podContexts.map((c) => `- \`${c.name}\`: ${PRECEDENCE[field](c, fileLink)}`).join('\n') + '\n\n' : '';
      return `${notes}**Pod securityContext of \`${pod.workload}\`** — effective per container:\n\n${podTable(podContexts)}`;
    }
  }
  for (const { container, context } of visits) {
    if (!within(rangeOf(container.node), o)) continue;
    const field = Object.keys(PRECEDENCE).find((k) => within(spanOf(pairOf(container.securityContext, k)?.key as Node), o));
    return (field ? PRECEDENCE[field](context, fileLink) + '\n\n' : '') + containerCard(context, runtime, fileLink);
  }
  return undefined;
}
