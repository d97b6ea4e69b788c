import type { Rule } from './rule';
import { reportPssBeyondBaseline } from './pss-overrides';

export const restrictedVolumeType: Rule = {
  meta: {
    id: 'restricted-volume-type',
    title: 'volume type not allowed at restricted',
    category: 'pod-security',
    defaultSeverity: 'info',
    pss: { level: 'restricted', checks: ['restrictedVolumes'] },
    docs: {
      summary: 'Flags volumes of any type other than configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret: hostPath, nfs, iscsi, rbd, cephfs, gitRepo, in-tree cloud disks and the other in-tree sources (Pod Security Standards, restricted). hostPath volumes are reported by `host-path-volume` unless that rule is off.',
      why: 'The kubelet mounts an inline in-tree volume on the node, with the node\'s network position and credentials, and the pod author picks the server, share or disk: a pod can mount any NFS export or iSCSI target the node can reach, and `gitRepo` runs git on the node (CVE-2024-10220 turned a crafted repository into command execution on the node). A PersistentVolumeClaim leaves those choices to the PersistentVolumes and StorageClasses an administrator set up.',
      bad: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: reports\nspec:\n  containers:\n    - name: reports\n      image: reports:1\n      volumeMounts:\n        - name: shared\n          mountPath: /data\n  volumes:\n    - name: shared\n      nfs:\n        server: nfs.example.com\n        path: /exports/reports\n' },
      good: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: reports\nspec:\n  containers:\n    - name: reports\n      image: reports:1\n      volumeMounts:\n        - name: shared\n          mountPath: /data\n  volumes:\n    - name: shared\n      persistentVolumeClaim:\n        claimName: reports\n' },
      fix: 'None: the volume has to move to a PersistentVolume (or a CSI driver) that someone provisions; decide by hand.',
      references: [
        'https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted',
        'https://kubernetes.io/docs/concepts/storage/volumes/',
        'https://github.com/kubernetes/kubernetes/issues/128885',
        'https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_restrictedVolumes.go',
      ],
    },
  },
  kubernetes(ctx) {
    reportPssBeyondBaseline(ctx, this.meta.pss!.checks, { check: 'hostPathVolumes', rule: 'host-path-volume' });
  },
};
