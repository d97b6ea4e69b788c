/** Port of upstream `check_restrictedVolumes.go`. */
import { joinQuote, pluralize, sortedSet } from '../format';
import { isSet } from '../model';
import type { CheckFinding, FieldPath, PodView, PssCheck } from '../model';

/** Inline volume sources the restricted profile allows. */
const ALLOWED_SOURCES = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'image',
  'persistentVolumeClaim',
  'projected',
  'secret',
] as const;

/** The forbidden sources, in upstream's order of precedence when a volume (invalidly) names several. */
const RESTRICTED_SOURCES = [
  'hostPath',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'nfs',
  'iscsi',
  'glusterfs',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'fc',
  'azureFile',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'portworxVolume',
  'scaleIO',
  'storageos',
] as const;

function restrictedVolumes_1_0(pod: PodView): CheckFinding | undefined {
  const badVolumes: string[] = [];
  const badTypes: string[] = [];
  const paths: FieldPath[] = [];
  for (const v of pod.volumes) {
    if (ALLOWED_SOURCES.some((source) => isSet(v.volume[source]))) continue;
    // A volume with no source the API server knows is defaulted to emptyDir, which is allowed.
    const source = RESTRICTED_SOURCES.find((candidate) => isSet(v.volume[candidate]));
    if (source === undefined) continue;
    badVolumes.push(v.name);
    badTypes.push(source);
    paths.push([...v.path, source]);
  }
  if (badVolumes.length === 0) return undefined;
  const types = sortedSet(badTypes);
  return {
    reason: 'restricted volume types',
    detail:
      `${pluralize('volume', 'volumes', badVolumes.length)} ${joinQuote(badVolumes)} ` +
      `${pluralize('uses', 'use', badVolumes.length)} ` +
      `${pluralize('restricted volume type', 'restricted volume types', types.length)} ${joinQuote(types)}`,
    paths,
  };
}

export const restrictedVolumes: PssCheck = {
  id: 'restrictedVolumes',
  level: 'restricted',
  title: 'Volume types',
  description:
    'Only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret ' +
    'volumes are allowed; this replaces the baseline hostPath check.',
  versions: [{ since: 0, evaluate: restrictedVolumes_1_0, overrides: ['hostPathVolumes'] }],
};
