/**
 * `explain` on Helm charts: each enabled workload/container the chart renders, with where each value
 * came from: `source: values` and the values file and line when a values file set it, else the level
 * (`container`/`pod`, a literal field of a template) or `image`/`default`.
 */
import * as path from 'node:path';
import type { Provenance } from '../engine/effective';
import { mapContext } from '../engine/helm/contexts';
import { LineIndex } from '../engine/lines';
import type { CliCharts } from './helm';
import { toJsonContainer, type JsonContainer } from './format';

const isTemplate = (file: string) => /\/templates\//.test(file) || /\.tpl$/.test(file);

/** A provenance's source for the JSON: `values` with its file and line when a values file set it. */
function source(p: Provenance, display: (f: string) => string): { source: string; file?: string; line?: number } {
  if (p.elsewhere && !isTemplate(p.elsewhere.path)) return { source: 'values', file: display(p.elsewhere.path), line: p.elsewhere.line };
  return { source: p.source };
}

export function chartContainers(charts: CliCharts, display: (absolute: string) => string = (f) => path.relative(process.cwd(), f)): JsonContainer[] {
  const out: JsonContainer[] = [];
  for (const chart of charts.used.values()) {
    for (const c of chart.containers) {
      const ctx = mapContext(chart, c, c.template);
      const json = toJsonContainer(display(c.template), new LineIndex(chart.texts.get(c.template) ?? ''), ctx);
      const provenance: Record<string, { file: string; line: number; source: string }> = {};
      const lines = new LineIndex(chart.texts.get(c.template) ?? '');
      const fields: [string, Provenance][] = [
        ['user', ctx.user], ['group', ctx.group], ['supplementalGroups', ctx.supplementalGroups], ['privileged', ctx.privileged],
        ['allowPrivilegeEscalation', ctx.allowPrivilegeEscalation], ['runAsNonRoot', ctx.runAsNonRoot], ['seccomp', ctx.seccomp],
        ['readOnlyRootFilesystem', ctx.readOnlyRootFilesystem], ...(ctx.capabilities ? [['capabilities', ctx.capabilities.provenance] as [string, Provenance]] : []),
      ];
      for (const [name, p] of fields) {
        const s = source(p, display);
        if (s.file && s.line) provenance[name] = { file: s.file, line: s.line, source: 'values' };
        else if (p.span) provenance[name] = { file: display(c.template), line: lines.position(p.span.start).line, source: p.source };
        else if (p.elsewhere) provenance[name] = { file: display(p.elsewhere.path), line: p.elsewhere.line, source: p.source };
      }
      out.push({
        ...json,
        user: { ...json.user, ...source(ctx.user, display) },
        group: { ...json.group, ...source(ctx.group, display) },
        chart: display(chart.chart.root),
        ...(Object.keys(provenance).length ? { provenance } : {}),
      });
    }
  }
  return out;
}
