/** What the manifest side sees of a Dockerfile: the user its final (or target) stage runs as. */
import type { ImageUser } from '../options';
import { userNote } from './describe';
import { targetStage, type DockerfileModel } from './model';

/** The ImageUser of a Dockerfile's final stage, or of the stage a build `target` names. */
export function finalImageUser(model: DockerfileModel, dockerfilePath: string, target?: string): ImageUser {
  const stage = targetStage(model, target);
  if (!stage) {
    const note = target === undefined ? 'the Dockerfile has no FROM' : `the Dockerfile has no stage ${target}`;
    return { note, dockerfile: dockerfilePath };
  }
  const u = stage.user;
  const fromUser = u.source === 'user-instruction' || u.source === 'inherited-stage';
  const note = target === undefined ? userNote(u) : `${userNote(u)} (stage ${target})`;
  return {
    ...(u.spec !== undefined ? { spec: u.spec.trim() } : {}),
    ...(u.name !== undefined ? { name: u.name } : {}),
    ...(u.uid !== undefined ? { uid: u.uid } : {}),
    ...(u.gid !== undefined ? { gid: u.gid } : {}),
    note,
    dockerfile: dockerfilePath,
    ...(fromUser && u.span ? { userSpan: u.span } : {}),
  };
}
