/**
 * Compose files: each service's security settings with their spans, `extends` within the file
 * and YAML merge keys followed, and the effective context Docker gives the service.
 */
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { AnalysisOptions } from '../options';
import type { Span } from '../types';
import { dockerEffective, type Namespace } from './effective';
import { mergeService, type ResolvedService as Resolved } from './compose-merge';
import type { BuildSetting, ComposeKey, ComposeService, DockerFileModel, DockerProblem, DockerSettings, Setting } from './model';
import { composeVolumeSource } from './mounts';
import { interpolate, optional as opt, parseComposeBool, parseNamespaceMode } from './values';
import { normalizeLineBreaks } from '../yaml/documents';
import { indexAliases, resolveAlias } from '../yaml/nodes';

export function parseCompose(text: string, options: AnalysisOptions, fileName: string): DockerFileModel {
  try {
    return new ComposeReader(text, options, fileName).read();
  } catch (e) {
    return { fileName, format: 'compose', containers: [], problems: [{ message: `Could not read the Compose file: ${String(e)}`, span: { start: 0, end: 0 } }] };
  }
}

interface Field {
  readonly name: string;
  readonly keySpan: Span;
  readonly pair: Span;
  readonly value: Node | null;
}

/** One service as written, before `extends`. */
interface RawService {
  readonly name: string;
  readonly nameSpan: Span;
  readonly span: Span;
  readonly bodySpan: Span;
  readonly keys: Record<string, ComposeKey>;
  readonly settings: DockerSettings;
  readonly image?: Setting<string>;
  readonly build?: BuildSetting;
  readonly extends?: Setting<string> & { readonly file?: string };
}

const MAX_DEPTH = 32;

class ComposeReader {
  private readonly problems: DockerProblem[] = [];
  private doc!: Document.Parsed;

  constructor(private readonly text: string, private readonly options: AnalysisOptions, private readonly fileName: string) {}

  read(): DockerFileModel {
    // compose-go reads with yaml.v3: aliases and `<<` merge keys (an explicit key wins over a merged one), YAML 1.2
    // scalars; `privileged: yes` becomes a boolean through its interpolation casts (`toBoolean`, see values.ts).
    const text = normalizeLineBreaks(this.text);
    this.doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
    indexAliases(this.doc, text);
    for (const e of this.doc.errors) this.problems.push({ message: e.message.split('\n')[0], span: { start: e.pos[0], end: e.pos[1] } });
    const raws = this.services().map((f) => this.rawService(f));
    const byName = new Map(raws.map((r) => [r.name, r]));
    const resolved = new Map<string, Resolved>();
    const resolve = (raw: RawService, stack: readonly string[]): Resolved => {
      const done = resolved.get(raw.name);
      if (done) return done;
      let result: Resolved = { settings: raw.settings, image: raw.image, build: raw.build };
      const ext = raw.extends;
      if (ext && ext.value !== undefined && ext.file === undefined) {
        const base = byName.get(ext.value);
        if (!base) this.problems.push({ message: `extends names service ${ext.value}, which is not in this file`, span: ext.valueSpan });
        else if (stack.includes(base.name) || stack.length > MAX_DEPTH) this.problems.push({ message: `extends forms a cycle: ${[...stack, raw.name, base.name].join(' → ')}`, span: ext.valueSpan });
        else result = mergeService(resolve(base, [...stack, raw.name]), result, base.name);
      } else if (ext?.file !== undefined) {
        // Valid Compose that this pure reader cannot follow: the effective values say what it may set.
        result = { ...result, external: { file: ext.file, service: ext.value ?? ext.raw } };
      }
      resolved.set(raw.name, result);
      return result;
    };
    const sharesHost = (ns: Namespace, target: string, seen: readonly string[] = []): boolean | undefined => {
      const raw = byName.get(target);
      if (!raw || seen.includes(target) || seen.length > MAX_DEPTH) return undefined;
      const s = resolve(raw, []).settings;
      const setting = ns === 'pid' ? s.pid : ns === 'ipc' ? s.ipc : s.network;
      if (setting?.value === undefined) return setting ? undefined : false;
      const mode = parseNamespaceMode(setting.value);
      if (mode.kind === 'host') return true;
      if (mode.kind === 'other') return false;
      return mode.kind === 'service' ? sharesHost(ns, mode.target, [...seen, target]) : undefined;
    };
    const containers: ComposeService[] = raws.map((raw) => {
      const r = resolve(raw, []);
      const effective = dockerEffective({
        kind: 'compose-service', name: raw.name, workload: `compose/${raw.name}`, nameSpan: raw.nameSpan, span: raw.span,
        ...(r.image ? { image: r.image, imageKey: r.image.raw } : {}), ...(r.build ? { build: r.build } : {}), ...(r.external ? { external: r.external } : {}),
        settings: r.settings, source: 'service', sharesHost: (ns, target) => sharesHost(ns, target, [raw.name]),
      }, this.options);
      return {
        kind: 'compose-service', name: raw.name, nameSpan: raw.nameSpan, span: raw.span, bodySpan: raw.bodySpan, keys: raw.keys,
        ...(r.image ? { image: r.image } : {}), ...(r.build ? { build: r.build } : {}), ...(raw.extends ? { extends: raw.extends } : {}),
        settings: r.settings, effective,
      };
    });
    return { fileName: this.fileName, format: 'compose', containers, problems: this.problems };
  }

  /** `services:` entries; a Compose v1 file has its services at the top level. */
  private services(): Field[] {
    const top = this.deref(this.doc.contents);
    if (!isMap(top)) return [];
    const fields = this.fields(top, 0);
    const services = fields.get('services');
    if (services) {
      const map = this.deref(services.value);
      return isMap(map) ? [...this.fields(map, 0).values()].filter((f) => !f.name.startsWith('x-')) : [];
    }
    if (fields.has('version')) return [];
    return [...fields.values()].filter((f) => {
      const v = this.deref(f.value);
      return isMap(v) && (v.has('image') || v.has('build'));
    });
  }

  private rawService(f: Field): RawService {
    const body = this.deref(f.value);
    const fields = isMap(body) ? this.fields(body, 0) : new Map<string, Field>();
    const keys: Record<string, ComposeKey> = {};
    for (const field of fields.values()) keys[field.name] = { key: field.keySpan, pair: field.pair };
    const scalar = (name: string) => this.scalar(fields.get(name));
    const list = (name: string) => this.list(fields.get(name));
    const bool = (name: string) => this.bool(fields.get(name));
    const settings: DockerSettings = {
      ...opt('user', scalar('user')),
      ...opt('privileged', bool('privileged')),
      capAdd: list('cap_add'),
      capDrop: list('cap_drop'),
      devices: this.devices(fields.get('devices')),
      securityOpt: list('security_opt'),
      ...opt('readOnly', bool('read_only')),
      ...opt('pid', scalar('pid')),
      ...opt('ipc', scalar('ipc')),
      ...opt('network', scalar('network_mode') ?? scalar('net')),
      ...opt('userns', scalar('userns_mode')),
      groupAdd: list('group_add'),
      sysctls: this.sysctls(fields.get('sysctls')),
      mounts: this.mounts(fields.get('volumes')),
    };
    const bodySpan = isMap(body) ? this.span(body) : f.pair;
    return {
      name: f.name, nameSpan: f.keySpan, span: { start: f.keySpan.start, end: Math.max(f.pair.end, bodySpan.end) }, bodySpan, keys, settings,
      ...opt('image', scalar('image')),
      ...opt('build', this.build(fields.get('build'))),
      ...opt('extends', this.extendsOf(fields.get('extends'))),
    };
  }

  // ---- YAML helpers -------------------------------------------------------------------------

  private deref(node: unknown, depth = 0): Node | null {
    if (isAlias(node)) {
      if (depth > MAX_DEPTH) return null;
      // Resolved once per document (yaml's Alias.resolve walks the whole document per call).
      const target = resolveAlias(node);
      return target ? this.deref(target, depth + 1) : null;
    }
    return isMap(node) || isSeq(node) || isScalar(node) ? node : null;
  }

  private span(node: Node): Span {
    const r = node.range;
    if (!r) return { start: 0, end: 0 };
    let end = r[1];
    while (end > r[0] && /\s/.test(this.text[end - 1])) end--;
    return { start: r[0], end };
  }

  /** A mapping's entries by key; later duplicates win, `<<` merge keys fill in what is missing. */
  private fields(map: Node, depth: number): Map<string, Field> {
    const out = new Map<string, Field>();
    const merges: Node[] = [];
    if (!isMap(map)) return out;
    for (const pair of map.items) {
      const key = pair.key;
      if (!isScalar(key) || key.value === null || key.value === undefined) continue;
      const name = String(key.value);
      const value = (pair.value ?? null) as Node | null;
      if (name === '<<' && key.type === 'PLAIN') {
        if (value) merges.push(value);
        continue;
      }
      const keySpan = this.span(key);
      const end = value && value.range ? value.range[1] : keySpan.end;
      out.set(name, { name, keySpan, pair: { start: keySpan.start, end: Math.max(end, keySpan.end) }, value });
    }
    if (depth < MAX_DEPTH) {
      for (const m of merges) {
        const target = this.deref(m);
        const sources = isSeq(target) ? target.items.map((i) => this.deref(i)) : [target];
        for (const src of sources) {
          if (!src || !isMap(src)) continue;
          for (const [name, field] of this.fields(src, depth + 1)) if (!out.has(name)) out.set(name, field);
        }
      }
    }
    return out;
  }

  /** The text of a scalar as Docker reads it: plain scalars as written (`0:0`, `1000`), quoted ones unescaped. */
  private scalarText(node: Node | null): string | undefined {
    if (!node || !isScalar(node) || node.value === null || node.value === undefined) return undefined;
    if (node.type === 'PLAIN' && node.range) {
      const src = this.text.slice(node.range[0], node.range[1]);
      if (!src.includes('\n')) return src.trim();
    }
    return String(node.value);
  }

  private scalarSetting(field: string, node: Node | null, span: Span): Setting<string> | undefined {
    const n = this.deref(node);
    const raw = n ? this.scalarText(n) : undefined;
    if (raw === undefined || !n) return undefined;
    return { field, raw, value: interpolate(raw), span, valueSpan: this.span(n) };
  }

  private scalar(f: Field | undefined): Setting<string> | undefined {
    return f ? this.scalarSetting(f.name, f.value, f.pair) : undefined;
  }

  private bool(f: Field | undefined): Setting<boolean> | undefined {
    if (!f) return undefined;
    const n = this.deref(f.value);
    if (!n || !isScalar(n)) return undefined;
    const raw = this.scalarText(n) ?? '';
    const value = typeof n.value === 'boolean' ? n.value : (() => {
      const s = interpolate(raw);
      return s === undefined ? undefined : parseComposeBool(s);
    })();
    return { field: f.name, raw, value, span: f.pair, valueSpan: this.span(n) };
  }

  private items(f: Field | undefined): Node[] {
    if (!f) return [];
    const n = this.deref(f.value);
    if (isSeq(n)) return n.items.flatMap((i) => {
      const d = this.deref(i);
      return d ? [d] : [];
    });
    return n && isScalar(n) && n.value !== null ? [n] : [];
  }

  private list(f: Field | undefined): Setting<string>[] {
    if (!f) return [];
    return this.items(f).flatMap((item) => {
      const s = this.scalarSetting(f.name, item, this.span(item));
      return s ? [s] : [];
    });
  }

  /** Short syntax `source[:target[:permissions]]` or the long `{source, target, permissions}`. */
  private devices(f: Field | undefined): Setting<string>[] {
    if (!f) return [];
    return this.items(f).flatMap((item) => {
      if (!isMap(item)) {
        const s = this.scalarSetting(f.name, item, this.span(item));
        return s ? [s] : [];
      }
      const fields = this.fields(item, 0);
      const part = (k: string) => this.scalarText(this.deref(fields.get(k)?.value ?? null));
      const source = part('source');
      if (source === undefined) return [];
      const raw = [source, part('target') ?? source, part('permissions')].filter((p) => p !== undefined).join(':');
      return [{ field: f.name, raw, value: interpolate(raw), span: this.span(item), valueSpan: this.span(item) }];
    });
  }

  /**
   * Bind mounts among `volumes`: the short syntax `source:target[:mode]` whose source is a path
   * (compose-go format.ParseVolume, isFilePath), or the long syntax with `type: bind`.
   */
  private mounts(f: Field | undefined): Setting<string>[] {
    if (!f) return [];
    return this.items(f).flatMap((item): Setting<string>[] => {
      if (!isMap(item)) {
        const s = this.scalarSetting(f.name, item, this.span(item));
        const source = s?.value !== undefined ? composeVolumeSource(s.value) : undefined;
        return s && source !== undefined ? [{ ...s, value: source }] : [];
      }
      const fields = this.fields(item, 0);
      const part = (k: string) => this.scalarText(this.deref(fields.get(k)?.value ?? null));
      const source = part('source');
      if (part('type') !== 'bind' || source === undefined) return [];
      const value = interpolate(source);
      return [{ field: f.name, raw: source, value, span: this.span(item), valueSpan: fields.get('source')?.value ? this.span(fields.get('source')!.value as Node) : this.span(item) }];
    });
  }

  /** A mapping `name: value` or a list `name=value`. */
  private sysctls(f: Field | undefined): Setting<string>[] {
    if (!f) return [];
    const n = this.deref(f.value);
    if (isMap(n)) {
      return [...this.fields(n, 0).values()].flatMap((e) => {
        const v = this.scalarText(this.deref(e.value)) ?? '';
        const raw = `${e.name}=${v}`;
        return [{ field: f.name, raw, value: interpolate(raw), span: e.pair, valueSpan: e.value?.range ? this.span(e.value) : e.keySpan }];
      });
    }
    return this.list(f);
  }

  private build(f: Field | undefined): BuildSetting | undefined {
    if (!f) return undefined;
    const n = this.deref(f.value);
    if (isMap(n)) {
      const fields = this.fields(n, 0);
      const part = (key: string) => {
        const p = fields.get(key);
        return p ? this.scalarSetting(`build.${key}`, p.value, p.pair) : undefined;
      };
      const context = part('context') ?? { field: 'build', raw: '.', value: '.', span: f.pair, valueSpan: this.span(n) };
      return { ...context, ...opt('dockerfile', part('dockerfile')), ...opt('target', part('target')), ...(fields.has('dockerfile_inline') ? { inline: true as const } : {}) };
    }
    return this.scalar(f);
  }

  private extendsOf(f: Field | undefined): (Setting<string> & { file?: string }) | undefined {
    if (!f) return undefined;
    const n = this.deref(f.value);
    if (!isMap(n)) return this.scalar(f);
    const fields = this.fields(n, 0);
    const service = fields.get('service');
    const s = service ? this.scalarSetting('extends.service', service.value, f.pair) : undefined;
    if (!s) return undefined;
    const file = this.scalarText(this.deref(fields.get('file')?.value ?? null));
    return file !== undefined ? { ...s, file } : s;
  }
}
