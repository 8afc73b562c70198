/** The ETags the fake answers with. */
import { createHash } from 'node:crypto';

function sha256Hex(data: string): string {
  return createHash('sha256').update(data).digest('hex').slice(0, 32);
}

/** The ETag of a read-only resource: it changes exactly when the answered body does. */
export function contentEtag(body: unknown): string {
  return sha256Hex(JSON.stringify(body));
}

/**
 * Versions of the writable resources (instances). Every write bumps the
 * version, and so the ETag, which is what `if-match` is checked against.
 */
export class ResourceVersions {
  private readonly versions = new Map<string, number>();

  /** The resource's current ETag. */
  etagOf(id: string): string {
    return sha256Hex(`${id}#${this.versions.get(id) ?? 0}`);
  }

  /** Records a write to the resource, which changes its ETag. */
  bump(id: string): void {
    this.versions.set(id, (this.versions.get(id) ?? 0) + 1);
  }
}
