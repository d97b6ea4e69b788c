/**
 * Generated Kubernetes manifests for benchmarks and robustness tests: realistic Deployments with pod and
 * container securityContexts, and a deterministic share of the mistakes secctx reports.
 */

/** Where one Deployment's editable value sits, so a benchmark can change it in place. */
export interface EditableValue {
  /** Offset of the value in the generated text. */
  readonly offset: number;
  readonly text: string;
}

export interface GeneratedManifests {
  readonly text: string;
  readonly lines: number;
  /** The `runAsUser` value of the middle Deployment's container. */
  readonly middleRunAsUser: EditableValue;
  /** Offset of the middle Deployment's container name (for hovers). */
  readonly middleContainerName: number;
}

/** One Deployment, ~39 lines; `i` picks its name and which mistakes it carries. */
export function deployment(i: number): string {
  const name = `svc-${String(i).padStart(4, '0')}`;
  const team = `team-${i % 12}`;
  const privileged = i % 17 === 3;
  const addCaps = i % 7 === 2 ? '\n              add: ["NET_ADMIN", "SYS_TIME"]' : i % 11 === 5 ? '\n              add: [net_bind_service]' : '';
  const podCaps = i % 29 === 7 ? '\n        capabilities:\n          drop: [ALL]' : '';
  const hostNetwork = i % 23 === 9 ? '\n      hostNetwork: true' : '';
  const runAsUser = i % 13 === 4 ? 0 : 10001 + (i % 50);
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${team}
  labels:
    app.kubernetes.io/name: ${name}
    app.kubernetes.io/part-of: shop
spec:
  replicas: ${1 + (i % 3)}
  selector:
    matchLabels:
      app.kubernetes.io/name: ${name}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${name}
    spec:
      serviceAccountName: ${name}${hostNetwork}
      securityContext:
        runAsNonRoot: ${i % 19 === 6 ? 'false' : 'true'}
        fsGroup: 2000${podCaps}
        seccompProfile:
          type: ${i % 31 === 8 ? 'Unconfined' : 'RuntimeDefault'}
      containers:
        - name: ${name}
          image: registry.example.com/${team}/${name}:1.${i % 10}.${i % 7}
          ports:
            - containerPort: ${8000 + (i % 100)}
          resources:
            limits: {cpu: 500m, memory: 256Mi}
          securityContext:
            runAsUser: ${runAsUser}
            allowPrivilegeEscalation: ${privileged ? 'true' : 'false'}
            privileged: ${privileged ? 'true' : 'false'}
            readOnlyRootFilesystem: true
            capabilities:
              drop: [ALL]${addCaps}
`;
}

/**
 * A Deployment with most of the mistakes at once (privileged, escalation, Unconfined seccomp, runAsNonRoot false,
 * dangerous, misspelled and prefixed capabilities, no drop ALL, host network and PID): ~9 findings per ~39 lines,
 * the heavy file of issue 14 (9,143 findings in 39k lines).
 */
export function riskyDeployment(i: number): string {
  return deployment(i)
    .replace(/allowPrivilegeEscalation: false/, 'allowPrivilegeEscalation: true')
    .replace(/privileged: false/, 'privileged: true')
    .replace(/runAsNonRoot: true/, 'runAsNonRoot: false')
    .replace(/type: RuntimeDefault/, 'type: Unconfined')
    .replace(/serviceAccountName: (\S+)\n/, 'serviceAccountName: $1\n      hostPID: true\n')
    .replace(/drop: \[ALL\](\n\s+add: .*)?/, 'add: [SYS_ADMIN, net_raw, CAP_KILL, NET_ADMIN]');
}

/** `count` Deployments as one multi-document stream (`make` writes each). */
export function deploymentStream(count: number, make: (i: number) => string = deployment): GeneratedManifests {
  const parts: string[] = [];
  let offset = 0;
  const middle = Math.floor(count / 2);
  let middleRunAsUser: EditableValue | undefined;
  let middleContainerName = 0;
  for (let i = 0; i < count; i++) {
    const doc = (i ? '---\n' : '') + make(i);
    if (i === middle) {
      const user = /runAsUser: (\d+)/.exec(doc);
      const name = /- name: (\S+)/.exec(doc);
      if (!user || !name) throw new Error('generated Deployment lacks runAsUser or a container name');
      middleRunAsUser = { offset: offset + user.index + 'runAsUser: '.length, text: user[1] };
      middleContainerName = offset + name.index + '- name: '.length + 2;
    }
    parts.push(doc);
    offset += doc.length;
  }
  if (!middleRunAsUser) throw new Error('no Deployments generated');
  const text = parts.join('');
  return { text, lines: text.split('\n').length - 1, middleRunAsUser, middleContainerName };
}
