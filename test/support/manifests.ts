/** Small manifests written the way the unit tests read best: lines in, YAML text out. */

/** Lines joined into a file's text (with the final newline). */
export const yaml = (...lines: string[]): string => lines.join('\n') + '\n';

/** Every non-empty line of `text` indented by `by` spaces. */
export const indent = (text: string, by: number): string => text.split('\n').map((l) => (l ? ' '.repeat(by) + l : l)).join('\n');

export interface PodParts {
  /** The pod-level securityContext body (two-space indented YAML). */
  readonly podSc?: string;
  /** The container `app`'s securityContext body. */
  readonly containerSc?: string;
  readonly image: string;
  /** More pod spec fields, before the securityContext. */
  readonly spec?: string;
  /** More fields of the container, after its securityContext. */
  readonly more?: string;
}

/**
 * A Pod `demo` with one container `app`. Each optional part adds its lines, so a test that adds
 * one (say a pod `securityContext:` line) shifts the lines after it down.
 */
export function pod(parts: PodParts): string {
  return yaml(
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: demo',
    'spec:',
    ...(parts.spec ? [indent(parts.spec, 2)] : []),
    ...(parts.podSc ? ['  securityContext:', indent(parts.podSc, 4)] : []),
    '  containers:',
    '    - name: app',
    `      image: ${parts.image}`,
    ...(parts.containerSc ? ['      securityContext:', indent(parts.containerSc, 8)] : []),
    ...(parts.more ? [indent(parts.more, 4)] : []),
  ).replace(/\n+$/, '\n');
}
