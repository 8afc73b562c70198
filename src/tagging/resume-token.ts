/**
 * Reconcile's resume token: where a run that the deadline stopped carries on.
 * It names the last pool (or prune candidate) finished, in OCID order, since
 * ids, unlike positions, survive pools coming and going. It is bound to the
 * request it was issued for by a fingerprint, so a token is never applied to
 * another request.
 */
import { ResumeTokenError } from '../errors';
import type { TagKeys } from './tags';

/** The two stages of a run: pool by pool, then the prune candidates. */
export type ReconcileStage = 'pools' | 'prune';

export interface ResumeState {
  readonly v: 1;
  /** Fingerprint of the request. */
  readonly scope: string;
  readonly stage: ReconcileStage;
  /** The last unit of the stage that was finished; absent when none was. */
  readonly after?: string;
  /** The pool the run's order starts at, when it is rotated (pools sorted by OCID, wrapping around). */
  readonly from?: string;
}

/** What a token is bound to: the fields that change what a run reads or writes. */
export interface ResumeScope {
  readonly poolCompartmentIds: readonly string[];
  readonly instanceCompartmentIds: readonly string[];
  readonly clusterIds?: readonly string[] | undefined;
  readonly keys: TagKeys;
  readonly apply: boolean;
  readonly prune: boolean;
}

/** A short, order-independent fingerprint of the request (FNV-1a over its canonical JSON). */
export function requestFingerprint(request: ResumeScope): string {
  const text = JSON.stringify([
    [...request.poolCompartmentIds].sort(),
    [...request.instanceCompartmentIds].sort(),
    [...(request.clusterIds ?? [])].sort(),
    request.keys.tagNamespace,
    request.keys.tagName,
    request.keys.clusterTagName ?? '',
    request.apply,
    request.prune,
  ]);
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193) >>> 0;
  return hash.toString(36);
}

/** The token for a state. */
export function encodeResumeToken(state: ResumeState): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

/** Reads a token; throws {@link ResumeTokenError} when this tool did not issue it, or issued it for another request. */
export function decodeResumeToken(token: string, fingerprint: string): ResumeState {
  let state: unknown;
  try {
    state = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new ResumeTokenError('not a token this tool issued');
  }
  const candidate = state as Partial<ResumeState> | null;
  if (
    !candidate ||
    candidate.v !== 1 ||
    (candidate.stage !== 'pools' && candidate.stage !== 'prune') ||
    (candidate.after !== undefined && typeof candidate.after !== 'string') ||
    (candidate.from !== undefined && typeof candidate.from !== 'string')
  ) {
    throw new ResumeTokenError('not a token this tool issued');
  }
  if (candidate.scope !== fingerprint) {
    throw new ResumeTokenError('issued for another request (other compartments, clusters, tag keys, apply or prune)');
  }
  return candidate as ResumeState;
}
