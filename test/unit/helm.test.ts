/**
 * Helm charts judged as the containers they become: charts written for the tests (helm create's
 * scaffold, Bitnami-style blocks with enabled/omitEmpty, subcharts, library charts, if/else in a named
 * template, values overrides), each checked on where its values land and what is reported where.
 * Helm semantics follow helm/helm's source, cited per test.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildChart } from '../../server/src/engine/helm/chart';
import { ChartAnalyzer, type ChartAnalysis, type Placement, type ValuesFile } from '../../server/src/engine/helm/analyze';
import { parseTemplate } from '../../server/src/engine/helm/template';
import { helmFileAnalysis } from '../../server/src/engine/helm/view';
import { coalesceValues, mergeValues, parseValues, plain } from '../../server/src/engine/helm/values';
import { LineIndex } from '../../server/src/engine/lines';
import { DEFAULT_OPTIONS } from '../../server/src/engine/options';
import type { Finding, TextEdit } from '../../server/src/engine/types';

const ROOT = '/charts/web';

function analyzeChart(files: Record<string, string>, overrides: Record<string, string> = {}): ChartAnalysis {
  const map = new Map(Object.entries(files).map(([k, v]) => [`${ROOT}/${k}`, v]));
  const valuesFiles: ValuesFile[] = Object.entries(overrides).map(([k, v]) => ({ path: `${ROOT}/${k}`, text: v }));
  return new ChartAnalyzer().analyze(buildChart(ROOT, map), valuesFiles, DEFAULT_OPTIONS);
}

/** `file:line rule` of every finding, files relative to the chart. */
function summary(a: ChartAnalysis): string[] {
  const out: string[] = [];
  for (const [file, list] of a.findings) {
    const lines = new LineIndex(a.texts.get(file) ?? '');
    for (const f of list) out.push(`${file.slice(ROOT.length + 1)}:${lines.position(f.span.start).line} ${f.rule}`);
  }
  return out.sort();
}

function placementMap(a: ChartAnalysis): string[] {
  return a.placements.map((p: Placement) => `${p.workload} ${p.level}${p.container ? `/${p.container}` : ''} ${p.field} <- ${p.block ?? p.values.map((v) => v.path).join(',')}`);
}

function findingsOf(a: ChartAnalysis, file: string, rule: string): Finding[] {
  return (a.findings.get(`${ROOT}/${file}`) ?? []).filter((f) => f.rule === rule);
}

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  return [...edits].sort((a, b) => b.start - a.start).reduce((t, e) => t.slice(0, e.start) + e.newText + t.slice(e.end), text);
}

/** `helm create web`'s deployment, trimmed to what places security contexts. */
const SCAFFOLD_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "web.fullname" . }}
spec:
  {{- if not .Values.autoscaling.enabled }}
  replicas: {{ .Values.replicaCount }}
  {{- end }}
  template:
    spec:
      {{- with .Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- toYaml .Values.podSecurityContext | nindent 8 }}
      containers:
        - name: {{ .Chart.Name }}
          securityContext:
            {{- toYaml .Values.securityContext | nindent 12 }}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
`;

const SCAFFOLD_HELPERS = `{{- define "web.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- define "web.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}
`;

const SCAFFOLD_VALUES = `replicaCount: 1
image:
  repository: nginx
  tag: ""
imagePullSecrets: []
podSecurityContext:
  runAsNonRoot: true
  capabilities:
    add: [NET_BIND_SERVICE]
securityContext:
  allowPrivilegeEscalation: false
  runAsUser: 1000
autoscaling:
  enabled: false
`;

const CHART_YAML = 'apiVersion: v2\nname: web\nversion: 0.1.0\nappVersion: "1.16.0"\n';

describe('Go templates', () => {
  test('trim markers, else-if chains and defines keep their positions (text/template/parse lex.go, parse.go)', () => {
    const text = 'a: {{- if .Values.x }} 1 {{- else if .Values.y -}} 2 {{ else }}3{{ end }}\n{{ define "n" }}x{{ end }}';
    const t = parseTemplate(text);
    assert.deepEqual(t.errors, []);
    assert.deepEqual(t.defines.map((d) => d.name), ['n']);
    const [first, ifNode] = t.nodes;
    assert.deepEqual(first, { k: 'text', start: 0, end: 2 });
    assert.equal(ifNode.k, 'if');
  });

  test('an unbalanced {{ and an unclosed if are errors, never exceptions', () => {
    assert.deepEqual(parseTemplate('a: {{ .Values.x').errors.map((e) => e.message), ['unclosed action: `{{` without `}}`']);
    assert.deepEqual(parseTemplate('{{ if .Values.x }}a').errors.map((e) => e.message), ['unclosed {{if}}: missing {{end}}']);
    assert.deepEqual(parseTemplate('{{ end }}').errors.map((e) => e.message), ['unexpected {{end}}']);
  });
});

describe('values merging', () => {
  test('override files merge maps, replace lists and scalars, and null deletes (cli/values mergeMaps, chartutil CoalesceValues)', () => {
    const defaults = parseValues('sc:\n  runAsUser: 1000\n  capabilities:\n    drop: [ALL]\n  readOnlyRootFilesystem: true\n', 'values.yaml').values;
    const a = parseValues('sc:\n  runAsUser: 2000\n  capabilities:\n    drop: [NET_RAW]\n', 'a.yaml').values;
    const b = parseValues('sc:\n  readOnlyRootFilesystem: null\n', 'b.yaml').values;
    const merged = coalesceValues(mergeValues(a, b), defaults);
    assert.deepEqual(plain(merged), { sc: { runAsUser: 2000, capabilities: { drop: ['NET_RAW'] } } });
  });
});

describe('helm create scaffold', () => {
  const files = { 'Chart.yaml': CHART_YAML, 'values.yaml': SCAFFOLD_VALUES, 'templates/deployment.yaml': SCAFFOLD_DEPLOYMENT, 'templates/_helpers.tpl': SCAFFOLD_HELPERS };

  test('the placement map: podSecurityContext at pod level, securityContext in the container named after the chart', () => {
    const a = analyzeChart(files);
    assert.deepEqual(placementMap(a), [
      'Deployment/release-name-web pod securityContext <- podSecurityContext',
      'Deployment/release-name-web container/web securityContext <- securityContext',
    ]);
  });

  test('capabilities in podSecurityContext: an error on the values line, naming the template line, with a fix moving them to securityContext', () => {
    const a = analyzeChart(files);
    const [f] = findingsOf(a, 'values.yaml', 'capabilities-at-pod-level');
    assert.ok(f, summary(a).join('\n'));
    assert.equal(new LineIndex(SCAFFOLD_VALUES).position(f.span.start).line, 8);
    assert.match(f.message, /\(placed by templates\/deployment\.yaml:16\)$/);
    assert.equal(f.fixes.length, 1);
    const fixed = applyEdits(SCAFFOLD_VALUES, f.fixes[0].edits);
    assert.equal(fixed, `replicaCount: 1
image:
  repository: nginx
  tag: ""
imagePullSecrets: []
podSecurityContext:
  runAsNonRoot: true
securityContext:
  allowPrivilegeEscalation: false
  runAsUser: 1000
  capabilities:
    add: [NET_BIND_SERVICE]
autoscaling:
  enabled: false
`);
    const after = analyzeChart({ ...files, 'values.yaml': fixed });
    assert.deepEqual(findingsOf(after, 'values.yaml', 'capabilities-at-pod-level'), []);
  });

  test('capabilities as the only key of podSecurityContext into an empty securityContext: {}', () => {
    const values = 'podSecurityContext:\n  capabilities:\n    drop: [ALL]\nsecurityContext: {}\nautoscaling:\n  enabled: true\n';
    const a = analyzeChart({ ...files, 'values.yaml': values });
    const [f] = findingsOf(a, 'values.yaml', 'capabilities-at-pod-level');
    assert.equal(applyEdits(values, f.fixes[0].edits), 'podSecurityContext: {}\nsecurityContext:\n  capabilities:\n    drop: [ALL]\nautoscaling:\n  enabled: true\n');
  });

  test('an unknown key in a values block: did-you-mean on the values line', () => {
    const values = SCAFFOLD_VALUES.replace('  runAsUser: 1000', '  runAsUsr: 1000');
    const a = analyzeChart({ ...files, 'values.yaml': values });
    const unknown = findingsOf(a, 'values.yaml', 'unknown-security-context-field');
    assert.equal(unknown.length, 1);
    assert.equal(new LineIndex(values).position(unknown[0].span.start).line, 12);
    assert.match(unknown[0].message, /runAsUser/);
  });

  test('an invalid value in a values block lands on its scalar', () => {
    const values = SCAFFOLD_VALUES.replace('  runAsUser: 1000', '  runAsUser: -5');
    const a = analyzeChart({ ...files, 'values.yaml': values });
    const lines = summary(a).filter((s) => s.startsWith('values.yaml:12'));
    assert.ok(lines.length > 0, summary(a).join('\n'));
  });
});

describe('conditions on values', () => {
  const deployment = `{{- if .Values.worker.enabled }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
spec:
  template:
    spec:
      containers:
        - name: worker
          securityContext:
            {{- toYaml .Values.worker.securityContext | nindent 12 }}
{{- end }}
`;
  test('a disabled workload is not judged, and the skipped branch names the key that disabled it', () => {
    const values = 'worker:\n  enabled: false\n  securityContext:\n    privileged: true\n';
    const a = analyzeChart({ 'Chart.yaml': CHART_YAML, 'values.yaml': values, 'templates/worker.yaml': deployment });
    assert.deepEqual(summary(a), []);
    assert.deepEqual(a.placements, []);
    assert.deepEqual(a.skipped.map((s) => ({ keys: s.keys, condition: s.condition })), [{ keys: ['worker.enabled'], condition: '.Values.worker.enabled' }]);
  });

  test('the same workload enabled by an override file: the finding lands in the values.yaml line the override did not change', () => {
    const values = 'worker:\n  enabled: false\n  securityContext:\n    privileged: true\n';
    const a = analyzeChart({ 'Chart.yaml': CHART_YAML, 'values.yaml': values, 'templates/worker.yaml': deployment }, { 'values-prod.yaml': 'worker:\n  enabled: true\n' });
    assert.deepEqual(summary(a).filter((s) => s.includes('privileged')), ['values.yaml:4 privileged']);
  });

  test('an override file setting a value: the finding names the override file; null deletes the default', () => {
    const values = 'worker:\n  enabled: true\n  securityContext:\n    runAsUser: 1000\n    privileged: true\n';
    const a = analyzeChart({ 'Chart.yaml': CHART_YAML, 'values.yaml': values, 'templates/worker.yaml': deployment }, { 'values-prod.yaml': 'worker:\n  securityContext:\n    privileged: null\n    allowPrivilegeEscalation: true\n' });
    const s = summary(a);
    assert.ok(!s.some((x) => x.includes(' privileged')), s.join('\n'));
    assert.ok(s.some((x) => x.startsWith('values-prod.yaml:4 ')), s.join('\n'));
  });
});

describe('Bitnami-style charts', () => {
  const template = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: {{ .Release.Name }}-db
spec:
  template:
    spec:
      {{- if .Values.primary.podSecurityContext.enabled }}
      securityContext: {{- include "common.compatibility.renderSecurityContext" (dict "secContext" .Values.primary.podSecurityContext "context" $) | nindent 8 }}
      {{- end }}
      containers:
        - name: postgresql
          {{- if .Values.primary.containerSecurityContext.enabled }}
          securityContext: {{- include "common.compatibility.renderSecurityContext" (dict "secContext" .Values.primary.containerSecurityContext "context" $) | nindent 12 }}
          {{- end }}
`;
  const values = `primary:
  podSecurityContext:
    enabled: true
    fsGroupChangePolicy: Always
    fsGroup: 1001
  containerSecurityContext:
    enabled: true
    omitEmpty: false
    runAsUser: 1001
    runAsNonRoot: true
    privileged: false
    allowPrivilegeEscalation: false
    capabilities:
      drop: ["ALL"]
    seccompProfile:
      type: "RuntimeDefault"
`;
  test('renderSecurityContext drops enabled and omitEmpty: no unknown-field findings, the blocks placed at their levels', () => {
    const a = analyzeChart({ 'Chart.yaml': CHART_YAML, 'values.yaml': values, 'templates/statefulset.yaml': template });
    assert.deepEqual(summary(a), []);
    assert.deepEqual(placementMap(a), [
      'StatefulSet/release-name-db pod securityContext <- primary.podSecurityContext',
      'StatefulSet/release-name-db container/postgresql securityContext <- primary.containerSecurityContext',
    ]);
  });

  test('enabled: false drops the block', () => {
    const a = analyzeChart({ 'Chart.yaml': CHART_YAML, 'values.yaml': values.replace('    enabled: true\n    omitEmpty', '    enabled: false\n    omitEmpty'), 'templates/statefulset.yaml': template });
    assert.deepEqual(placementMap(a), ['StatefulSet/release-name-db pod securityContext <- primary.podSecurityContext']);
    assert.deepEqual(a.skipped.map((s) => s.keys), [['primary.containerSecurityContext.enabled']]);
  });
});

describe('named templates, subcharts and library charts', () => {
  test('if/else in a named template: the values block when set, the literal fields otherwise (ingress-nginx controller.containerSecurityContext)', () => {
    const helpers = `{{- define "web.containerSecurityContext" -}}
{{- if .Values.containerSecurityContext -}}
{{ toYaml .Values.containerSecurityContext }}
{{- else -}}
runAsUser: {{ .Values.image.runAsUser }}
privileged: true
{{- end }}
{{- end -}}
`;
    const template = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      securityContext: {{ include "web.containerSecurityContext" . | nindent 8 }}
`;
    const withBlock = analyzeChart({ 'Chart.yaml': CHART_YAML, 'values.yaml': 'containerSecurityContext:\n  runAsUser: 7\nimage:\n  runAsUser: 8\n', 'templates/pod.yaml': template, 'templates/_helpers.tpl': helpers });
    assert.deepEqual(placementMap(withBlock), ['Pod/web container/web securityContext <- containerSecurityContext']);
    assert.deepEqual(summary(withBlock).filter((s) => s.includes('privileged')), []);
    const literal = analyzeChart({ 'Chart.yaml': CHART_YAML, 'values.yaml': 'containerSecurityContext: {}\nimage:\n  runAsUser: 8\n', 'templates/pod.yaml': template, 'templates/_helpers.tpl': helpers });
    assert.deepEqual(placementMap(literal), ['Pod/web container/web securityContext <- image.runAsUser']);
    // The literal `privileged: true` of the helper is reported in the helper file.
    assert.deepEqual(summary(literal).filter((s) => s.includes(' privileged')), ['templates/_helpers.tpl:6 privileged']);
  });

  test('a subchart sees its values under its name in the parent, globals included (chartutil coalesceDeps, coalesceGlobals)', () => {
    const sub = `apiVersion: v1
kind: Pod
metadata:
  name: {{ .Chart.Name }}-{{ .Values.global.env }}
spec:
  containers:
    - name: cache
      securityContext:
        {{- toYaml .Values.securityContext | nindent 8 }}
`;
    const a = analyzeChart({
      'Chart.yaml': CHART_YAML + 'dependencies:\n  - name: cache\n    condition: cache.enabled\n',
      'values.yaml': 'global:\n  env: prod\ncache:\n  enabled: true\n  securityContext:\n    privileged: true\n',
      'charts/cache/Chart.yaml': 'apiVersion: v2\nname: cache\nversion: 1.0.0\n',
      'charts/cache/values.yaml': 'securityContext:\n  runAsUser: 1000\nglobal:\n  env: dev\n',
      'charts/cache/templates/pod.yaml': sub,
    });
    assert.deepEqual(placementMap(a), ['Pod/cache-prod container/cache securityContext <- cache.securityContext']);
    assert.deepEqual(summary(a).filter((s) => s.includes(' privileged')), ['values.yaml:6 privileged']);
    const off = analyzeChart({
      'Chart.yaml': CHART_YAML + 'dependencies:\n  - name: cache\n    condition: cache.enabled\n',
      'values.yaml': 'cache:\n  enabled: false\n',
      'charts/cache/Chart.yaml': 'apiVersion: v2\nname: cache\nversion: 1.0.0\n',
      'charts/cache/values.yaml': 'securityContext:\n  runAsUser: 1000\n',
      'charts/cache/templates/pod.yaml': sub,
    });
    assert.deepEqual(off.placements, []);
  });

  test('a library chart\'s named templates are used, its own templates are not rendered', () => {
    const a = analyzeChart({
      'Chart.yaml': CHART_YAML,
      'values.yaml': 'sc:\n  runAsUser: 0\n',
      'templates/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      securityContext: {{- include "lib.sc" .Values.sc | nindent 8 }}\n',
      'charts/lib/Chart.yaml': 'apiVersion: v2\nname: lib\ntype: library\nversion: 1.0.0\n',
      'charts/lib/templates/_sc.tpl': '{{- define "lib.sc" -}}\n{{ toYaml . }}\n{{- end -}}\n',
      'charts/lib/templates/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: never\nspec:\n  containers:\n    - name: x\n      securityContext:\n        privileged: true\n',
    });
    assert.deepEqual(placementMap(a), ['Pod/p container/c securityContext <- sc']);
  });
});

describe('what is not followed', () => {
  test('tpl, lookup and undefined templates are listed, and nothing is reported from them', () => {
    const template = `apiVersion: v1
kind: Pod
metadata:
  name: {{ include "missing.name" . }}
spec:
  containers:
    - name: c
      securityContext:
        runAsUser: {{ tpl .Values.uid . }}
        {{- with (lookup "v1" "Secret" "ns" "x") }}
        privileged: true
        {{- end }}
`;
    const a = analyzeChart({ 'Chart.yaml': CHART_YAML, 'values.yaml': 'uid: "{{ 1000 }}"\n', 'templates/pod.yaml': template });
    assert.deepEqual(a.notFollowed.map((n) => n.why).sort(), [
      '`tpl` renders a string as a template at install time',
      'condition not evaluated (`lookup` reads the cluster at install time)',
      'template "missing.name" is not defined in this chart',
    ].sort());
    assert.deepEqual(summary(a).filter((s) => /run-as|privileged|invalid/.test(s)), []);
  });
});

describe('editing values', () => {
  test('an edit re-renders only the templates whose values changed, and gives what a fresh analysis gives', () => {
    const files: Record<string, string> = { 'Chart.yaml': CHART_YAML, 'templates/_helpers.tpl': SCAFFOLD_HELPERS };
    const values = ['podSecurityContext:\n  runAsNonRoot: true'];
    for (let i = 0; i < 20; i++) {
      files[`templates/d${i}.yaml`] = SCAFFOLD_DEPLOYMENT.replace(/\.Values\.securityContext/g, `.Values.c${i}.securityContext`).replace('name: {{ include "web.fullname" . }}', `name: d${i}`);
      values.push(`c${i}:\n  securityContext:\n    runAsUser: ${1000 + i}`);
    }
    const base = { ...files, 'values.yaml': values.join('\n') + '\nautoscaling:\n  enabled: false\n' };
    const toMap = (f: Record<string, string>) => new Map(Object.entries(f).map(([k, v]) => [`${ROOT}/${k}`, v]));
    const analyzer = new ChartAnalyzer();
    analyzer.analyze(buildChart(ROOT, toMap(base)), [], DEFAULT_OPTIONS);
    // c3's runAsUser becomes 0 (and the text before c10 grows, shifting every later offset).
    const edited = { ...base, 'values.yaml': base['values.yaml'].replace('runAsUser: 1003', 'runAsUser: 0').replace('c2:', '# a comment\nc2:') };
    const incremental = analyzer.analyze(buildChart(ROOT, toMap(edited)), [], DEFAULT_OPTIONS);
    assert.equal(analyzer.lastReanalysed, 1);
    const fresh = new ChartAnalyzer().analyze(buildChart(ROOT, toMap(edited)), [], DEFAULT_OPTIONS);
    assert.deepEqual(summary(incremental), summary(fresh));
    assert.deepEqual([...incremental.findings], [...fresh.findings]);
    assert.deepEqual(incremental.placements, fresh.placements);
    assert.deepEqual(summary(fresh).filter((s) => s.startsWith('values.yaml')), ['values.yaml:15 run-as-non-root-violation', 'values.yaml:15 run-as-root']);
  });
});

describe('values not used by any template', () => {
  const template = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  {{- $on := .Values.init.enabled }}
  {{- if $on }}
  initContainers:
    - name: init
      securityContext:
        {{- toYaml .Values.init.securityContext | nindent 8 }}
  {{- end }}
  containers:
    - name: c
      securityContext:
        {{- toYaml .Values.securityContext | nindent 8 }}
`;
  const values = 'init:\n  enabled: false\n  securityContext:\n    runAsUser: 1\nsecurityContext:\n  runAsUser: 2\nsidecarSecurityContext:\n  runAsUser: 3\n';
  const hints = (files: Record<string, string>) => {
    const a = analyzeChart(files);
    return helmFileAnalysis(`${ROOT}/values.yaml`, files['values.yaml'], a, `${ROOT}/values.yaml`, DEFAULT_OPTIONS).findings.filter((f) => f.rule === 'values-not-used').map((f) => f.message);
  };
  test('a block no template reads gets a hint; one in a branch a false condition skipped (through a variable) does not', () => {
    assert.deepEqual(hints({ 'Chart.yaml': CHART_YAML, 'values.yaml': values, 'templates/pod.yaml': template }), ['`sidecarSecurityContext` is not used by any template of this chart: nothing here reaches a container.']);
  });
  test('without Chart.yaml (maybe a partial copy of a chart) no block is called unused', () => {
    assert.deepEqual(hints({ 'values.yaml': values, 'templates/pod.yaml': template }), []);
  });
  test('the rules setting applies to the chart\'s own findings: template-syntax as a warning, values-not-used off', () => {
    const options = { ...DEFAULT_OPTIONS, rules: { 'template-syntax': 'warning', 'values-not-used': 'off' } } as const;
    const files = { 'Chart.yaml': CHART_YAML, 'values.yaml': values, 'templates/pod.yaml': template, 'templates/bad.yaml': 'a: {{ .Values.x\n' };
    const a = new ChartAnalyzer().analyze(buildChart(ROOT, new Map(Object.entries(files).map(([k, v]) => [`${ROOT}/${k}`, v]))), [], options);
    assert.deepEqual(
      { bad: findingsOf(a, 'templates/bad.yaml', 'template-syntax').map((f) => f.severity), unused: helmFileAnalysis(`${ROOT}/values.yaml`, values, a, `${ROOT}/values.yaml`, options).findings.filter((f) => f.rule === 'values-not-used') },
      { bad: ['warning'], unused: [] },
    );
  });
});

describe('template functions', () => {
  test('printf verbs and semverCompare constraints (commas, spaces before operators, ||) against the default KubeVersion v1.33.0', () => {
    const constraints = ['>=1.21-0', '>=1.21, <1.30', '>= 1.21 < 1.40', '~1.33', '^2.0', '!=1.33.0', '1.20 || 1.33.0', ' >=1.2'];
    const template = [
      `p: {{ printf "%s-%d-%q-%%-%-5s|" "a" 7 "b" "c" }}`,
      ...constraints.map((c, i) => `s${i}: {{ if semverCompare ${JSON.stringify(c)} .Capabilities.KubeVersion.GitVersion }}y{{ else }}n{{ end }}`),
    ].join('\n') + '\n';
    const a = analyzeChart({ 'Chart.yaml': CHART_YAML, 'values.yaml': '', 'templates/cm.yaml': template });
    // printf: Go's fmt for %s %d %q %% (width flags read, not applied); semverCompare: Masterminds/semver's Constraints.Check.
    assert.deepEqual(a.rendered[0].text.split('\n'), ['p: a-7-"b"-%-c|', 's0: y', 's1: n', 's2: y', 's3: y', 's4: n', 's5: n', 's6: y', 's7: y', '']);
  });
});

describe('robustness', () => {
  test('a recursive include stops at a depth limit', () => {
    const a = analyzeChart({ 'Chart.yaml': CHART_YAML, 'values.yaml': '', 'templates/_r.tpl': '{{ define "r" }}{{ include "r" . }}{{ end }}', 'templates/x.yaml': 'a: {{ include "r" . }}\n' });
    assert.equal(a.notFollowed.some((n) => /nested more than/.test(n.why)), true);
  });

  test('unbalanced {{ in a template: a template-syntax error, the rest of the chart still judged', () => {
    const a = analyzeChart({ 'Chart.yaml': CHART_YAML, 'values.yaml': SCAFFOLD_VALUES, 'templates/deployment.yaml': SCAFFOLD_DEPLOYMENT, 'templates/_helpers.tpl': SCAFFOLD_HELPERS, 'templates/bad.yaml': 'a: {{ .Values.x\n' });
    assert.deepEqual(summary(a).filter((s) => s.includes('template-syntax')), ['templates/bad.yaml:1 template-syntax']);
    assert.equal(findingsOf(a, 'values.yaml', 'capabilities-at-pod-level').length, 1);
  });

  test('a huge template and a chart of 500 templates analyse', () => {
    const huge = SCAFFOLD_DEPLOYMENT + '      volumes:\n' + '        - name: v\n          emptyDir: {}\n'.repeat(5000);
    const a = analyzeChart({ 'Chart.yaml': CHART_YAML, 'values.yaml': SCAFFOLD_VALUES, 'templates/deployment.yaml': huge, 'templates/_helpers.tpl': SCAFFOLD_HELPERS });
    assert.equal(findingsOf(a, 'values.yaml', 'capabilities-at-pod-level').length, 1);
    const files: Record<string, string> = { 'Chart.yaml': CHART_YAML, 'values.yaml': SCAFFOLD_VALUES, 'templates/_helpers.tpl': SCAFFOLD_HELPERS };
    for (let i = 0; i < 500; i++) files[`templates/d${i}.yaml`] = SCAFFOLD_DEPLOYMENT;
    const many = analyzeChart(files);
    assert.equal(many.placements.length, 1000);
    assert.equal(findingsOf(many, 'values.yaml', 'capabilities-at-pod-level').length, 1);
  });
});
