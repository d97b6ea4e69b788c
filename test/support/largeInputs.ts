/**
 * Valid inputs large enough for a superlinear loop to freeze the server. The robustness suite runs
 * each behind a hang watchdog (only a crash or a hang fails); `npm run bench` times each.
 */
export interface LargeInput {
  readonly name: string;
  /** The file name it is analysed as (decides the file kind). */
  readonly file: string;
  readonly text: string;
  /** A known gap: skipped unless SECCTX_ROBUSTNESS_SLOW=1. */
  readonly todo?: string;
}

/** A one-container Pod with a little of everything wrong: the robustness suite mutates it. */
export const POD = ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: web', 'spec:', '  securityContext:', '    runAsNonRoot: true', '  containers:', '    - name: web', '      image: nginx:1.27', '      securityContext:', '        runAsUser: 0', '        privileged: true', '        capabilities:', '          add: ["NET_ADMIN", "sys_time"]', ''].join('\n');

export function largeInputs(pod = POD): LargeInput[] {
  const container = (i: number) => `    - name: c${i}\n      image: x\n      securityContext: {privileged: true, capabilities: {add: [SYS_ADMIN]}}\n`;
  return [
    { name: '10,000 names in one capabilities.add', file: 'caps.yaml', text: pod.replace('["NET_ADMIN", "sys_time"]', `[${Array.from({ length: 10_000 }, (_, i) => ['NET_ADMIN', 'sys_admin', 'CAP_CHOWN', `BOGUS${i}`][i % 4]).join(', ')}]`) },
    { name: '5,000 containers in one Pod', file: 'containers.yaml', text: `apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  containers:\n${Array.from({ length: 5_000 }, (_, i) => container(i)).join('')}` },
    { name: 'docker run with 20,000 --cap-add on one line', file: 'run.sh', text: `docker run ${'--cap-add NET_ADMIN '.repeat(20_000)}alpine\n` },
    { name: 'a Dockerfile RUN line of 1 MB', file: 'Dockerfile', text: `FROM alpine\nRUN ${'echo a && '.repeat(100_000)}true\nUSER 0\n` },
    { name: '1 MB of binary data as a shell script', file: 'installer.sh', text: Buffer.from(Array.from({ length: 1 << 20 }, (_, i) => (i * 7919 + (i >> 7)) & 0xff)).toString('latin1') },
    { name: '1,000 Compose services', file: 'compose.yaml', text: `services:\n${Array.from({ length: 1_000 }, (_, i) => `  s${i}:\n    image: x\n    privileged: true\n    cap_add: [ALL]\n`).join('')}` },
    { name: '3,000 Pods in one stream', file: 'pods.yaml', text: Array.from({ length: 3_000 }, () => pod).join('---\n') },
  ];
}
