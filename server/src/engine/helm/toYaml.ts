/**
 * Helm's `toYaml` (sigs.k8s.io/yaml over yaml.v2, trailing newline trimmed) for values with provenance:
 * block style, lists under a key not indented, `{}`/`[]` for empty collections. Scalars are written as
 * they are spelled in the values file when that spelling is one line (same YAML value), so every key
 * and scalar of the output maps back to its line. Key order is the file's (yaml.v2 sorts; the order
 * does not change what the API server decodes).
 */
import { Out } from './text';
import type { Src, VNode, VStr } from './values';

const PLAIN = /^[A-Za-z_/][\w./-]*(?: [\w./-]+)*$/;
const RESERVED = /^(?:true|false|yes|no|on|off|y|n|null|~)$/i;

export function scalarText(v: string | number | boolean | null): string {
  if (v === null) return 'null';
  if (typeof v !== 'string') return String(v);
  return PLAIN.test(v) && !RESERVED.test(v) ? v : JSON.stringify(v);
}

function writeScalar(out: Out, node: VNode & { t: 'scalar' }, via: Src | undefined): void {
  const text = node.raw && !/^[|>]/.test(node.raw) ? node.raw : scalarText(node.v);
  out.write(text, node.src || via ? { src: node.src, via } : undefined);
}

function writeKey(out: Out, key: string, node: VNode, via: Src | undefined): void {
  const text = PLAIN.test(key) || /^\d+$/.test(key) ? key : JSON.stringify(key);
  out.write(text, node.keySrc || via ? { src: node.keySrc, via } : undefined);
  out.write(':');
}

function isEmpty(node: VNode): boolean {
  return (node.t === 'map' && node.entries.size === 0) || (node.t === 'seq' && node.items.length === 0);
}

function write(out: Out, node: VNode, depth: number, via: Src | undefined, inSeqItem: boolean): void {
  const pad = (d: number) => '  '.repeat(d);
  if (node.t === 'scalar') return writeScalar(out, node, via);
  if (isEmpty(node)) return out.write(node.t === 'map' ? '{}' : '[]', node.src || via ? { src: node.src, via } : undefined);
  if (node.t === 'map') {
    let first = true;
    for (const [key, child] of node.entries) {
      if (!first || !inSeqItem) { if (!first || out.size > 0) out.write('\n'); out.write(pad(depth)); }
      first = false;
      writeKey(out, key, child, via);
      if (child.t === 'scalar' || isEmpty(child)) { out.write(' '); write(out, child, depth + 1, via, false); }
      else write(out, child, child.t === 'seq' ? depth : depth + 1, via, false);
    }
    return;
  }
  for (const item of node.items) {
    if (out.size > 0) out.write('\n');
    out.write(pad(depth) + '- ');
    if (item.t === 'scalar' || isEmpty(item)) write(out, item, depth + 1, via, true);
    else if (item.t === 'map') write(out, item, depth + 1, via, true);
    else { write(out, item, depth + 1, via, false); }
  }
}

/** `toYaml` of a values node; `via` is the template action doing it. */
export function toYaml(node: VNode, via?: Src): VStr {
  const out = new Out();
  write(out, node, 0, via, false);
  const block = node.path?.join('.');
  const s0 = out.toStr();
  const s = block !== undefined ? { ...s0, segs: s0.segs.map((g) => ({ ...g, block })) } : s0;
  return s.text.startsWith('\n') ? { t: 'str', text: s.text.slice(1), segs: s.segs.map((g) => ({ ...g, at: Math.max(0, g.at - 1) })) } : s;
}
