/**
 * The Dockerfile model: stages, their bases, USER instructions with ARG/ENV substitution, the accounts
 * each stage creates, and the user each stage (and so the image) runs as, with where it comes from.
 * Spans are UTF-16 offsets into the Dockerfile text; lines are 1-based.
 */
import type { ImageFactsRecord } from '../images/known';
import type { Span } from '../types';
import type { AccountKnowledge, Accounts, GroupAccount, Origin, UserAccount } from './accounts';
import { buildDockerfileModel, type BaseFactsLookup } from './builder';
import type { LongLine } from './longLines';

export type { AccountKnowledge, Accounts, GroupAccount, Origin, UserAccount } from './accounts';

/**
 * Where a stage's user comes from: a USER in the stage, the user of the stage it is built FROM,
 * the base image's known default (./baseImages.ts), or nothing known (an unknown base decides).
 */
export type UserSource = 'user-instruction' | 'base-image' | 'inherited-stage' | 'default';

export interface ResolvedUser {
  readonly source: UserSource;
  /** The USER argument as written (`app`, `1000:1000`, `${UID}`); absent when no USER applies. */
  readonly spec?: string;
  /** The spec after ARG/ENV substitution, when it resolves. */
  readonly value?: string;
  readonly name?: string;
  readonly uid?: number;
  readonly gid?: number;
  /** The group's name, when known. */
  readonly group?: string;
  /** Line and argument span of the USER instruction that applies (in this file). */
  readonly line?: number;
  readonly span?: Span;
  /** Where the user was created (a RUN command, a /etc/passwd line, or the base image). */
  readonly createdAt?: Origin;
  /** The base image whose default user applies (source `base-image` or `default`). */
  readonly image?: string;
  /** Source `base-image`: the base image's configured User (`65532`), what the kubelet reads; absent for root. */
  readonly imageConfigUser?: string;
  /** ARGs whose defaults the spec used: `--build-arg` can change the user. */
  readonly buildArgs?: readonly string[];
  /** ARGs before FROM the USER uses but the stage never re-declares: they expand to nothing (BuildKit). */
  readonly hiddenArgs?: readonly string[];
  /** Names the USER uses that no known account has (the stage does not create them, the base is not known to). */
  readonly missing?: { readonly user?: string; readonly group?: string };
  /** Why the uid or gid is unknown. */
  readonly reason?: string;
}

export interface UserInstruction {
  readonly line: number;
  /** The whole instruction. */
  readonly instructionSpan: Span;
  /** The argument, as written. */
  readonly span: Span;
  readonly spec: string;
  /** After substitution; absent when it depends on an unknown value. */
  readonly value?: string;
  /** Variables that could not be resolved. */
  readonly unresolved?: readonly string[];
  readonly buildArgs?: readonly string[];
  /** What this USER resolves to with the stage's accounts (as at run time). */
  readonly user: ResolvedUser;
}

export type StageBase =
  /** `reference` is the image after substitution, absent when it does not resolve. */
  | { readonly kind: 'image'; readonly raw: string; readonly span: Span; readonly reference?: string; readonly unresolved?: readonly string[] }
  | { readonly kind: 'stage'; readonly raw: string; readonly span: Span; readonly stage: number; readonly name: string };

export interface Stage {
  readonly index: number;
  readonly name?: string;
  /** Line and span of the FROM instruction. */
  readonly line: number;
  readonly span: Span;
  readonly base: StageBase;
  /** The external image at the root of the FROM chain (through earlier stages), when it resolves. */
  readonly image?: string;
  readonly users: readonly UserInstruction[];
  /** Accounts the Dockerfile creates or changes (inherited from a base stage, copied with COPY --from). */
  readonly accounts: Accounts;
  /** How much of /etc/passwd is known: `all` entries, the Dockerfile's over a `base-table` image, or `dockerfile-only`. */
  readonly accountsKnown: AccountKnowledge;
  /** Every /etc/passwd entry known at the end of the stage: the Dockerfile's accounts and the base image's. */
  readonly passwd: readonly UserAccount[];
  /** Every /etc/group entry known at the end of the stage (memberships only for the Dockerfile's users). */
  readonly groups: readonly GroupAccount[];
  /** The user at the end of the stage. */
  readonly user: ResolvedUser;
  /** The stages this one needs: the stage it is built FROM and those it copies from (`COPY --from`). */
  readonly dependsOn: readonly number[];
  /** What the FROM image is known to be (image facts or the well-known table); absent for a stage base or an unknown image. */
  readonly baseFacts?: ImageFactsRecord;
}

export interface DockerfileModel {
  readonly stages: readonly Stage[];
  /** The final stage's user: what the image runs as. Absent without a FROM. */
  readonly user?: ResolvedUser;
  /** Lines too long to read past their first word (./longLines). Absent when there are none. */
  readonly longLines?: readonly LongLine[];
}

/**
 * Parses a Dockerfile; never throws (malformed input gives a partial model). `baseFacts` says what
 * FROM images are (default: the well-known base-image table).
 */
export function parseDockerfile(text: string, baseFacts?: BaseFactsLookup): DockerfileModel {
  return buildDockerfileModel(text, baseFacts);
}

/**
 * The stages a build of `target` (the final stage without one) runs: it and, transitively, what it is
 * built FROM and copies from. BuildKit's dockerfile2llb builds no other stage.
 */
export function stagesBuilt(model: DockerfileModel, target?: string): ReadonlySet<number> {
  const built = new Set<number>();
  const start = targetStage(model, target);
  const todo = start ? [start.index] : [];
  while (todo.length) {
    const i = todo.pop() as number;
    if (built.has(i)) continue;
    built.add(i);
    todo.push(...(model.stages[i]?.dependsOn ?? []));
  }
  return built;
}

/** The stage a build `--target` (or Compose/Skaffold `target`) names; the final stage without one. */
export function targetStage(model: DockerfileModel, target?: string): Stage | undefined {
  if (target === undefined) return model.stages[model.stages.length - 1];
  const t = target.toLowerCase();
  return model.stages.find((s) => s.name?.toLowerCase() === t);
}
