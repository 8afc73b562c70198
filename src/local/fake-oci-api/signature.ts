/** HTTP Signature (draft-cavage) verification, as OCI applies it to every request. */
import { createHash, createPublicKey, verify as verifySignatureBytes, type KeyObject } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { notAuthenticated } from './api-error';
import { BODY_METHODS, headerValue } from './request';

/** Parses `Signature version="1",keyId="…",…` into its parameters. */
function parseSignatureParameters(header: string): Map<string, string> {
  const parameters = new Map<string, string>();
  for (const match of header.slice('Signature '.length).matchAll(/([A-Za-z]+)="([^"]*)"/g)) {
    const [, name, value] = match;
    if (name !== undefined && value !== undefined) parameters.set(name, value);
  }
  return parameters;
}

/** Checks request signatures against the trusted keys; a failed check is a 401 {@link ApiError}. */
export class SignatureVerifier {
  private readonly keys = new Map<string, KeyObject>();

  /** @param maxClockSkewMs accepted difference between the signed date and now. */
  constructor(private readonly maxClockSkewMs: number) {}

  /** Accepts requests signed with `keyId` whose signature verifies with `publicKeyPem`. */
  trust(keyId: string, publicKeyPem: string): void {
    this.keys.set(keyId, createPublicKey(publicKeyPem));
  }

  /**
   * Verifies the HTTP Signature the way OCI does: keyId must be trusted, the
   * signed headers must include `(request-target)`, `host` and `date` or
   * `x-date` (plus `content-length`, `content-type` and `x-content-sha256` on
   * requests with a body), the body hash must match and the signed date must
   * be within the allowed clock skew.
   */
  verify(request: IncomingMessage, rawUrl: string, body: Buffer): void {
    const authorization = headerValue(request.headers, 'authorization');
    if (authorization === undefined || !authorization.startsWith('Signature ')) throw notAuthenticated('no Signature authorization header');
    const parameters = parseSignatureParameters(authorization);
    const keyId = parameters.get('keyId');
    const signature = parameters.get('signature');
    const signedHeaders = (parameters.get('headers') ?? 'date').toLowerCase().split(' ');
    if (parameters.get('version') !== '1') throw notAuthenticated('signature version must be "1"');
    if (parameters.get('algorithm') !== 'rsa-sha256') throw notAuthenticated('algorithm must be rsa-sha256');
    if (keyId === undefined || signature === undefined) throw notAuthenticated('keyId and signature are required');

    const method = (request.method ?? 'GET').toUpperCase();
    const dateHeader = signedHeaders.includes('x-date') ? 'x-date' : 'date';
    const required = [
      '(request-target)',
      'host',
      dateHeader,
      ...(BODY_METHODS.includes(method) ? ['content-length', 'content-type', 'x-content-sha256'] : []),
    ];
    for (const name of required) {
      if (!signedHeaders.includes(name)) throw notAuthenticated(`header ${name} must be signed`);
    }
    const lines = signedHeaders.map((name) => {
      if (name === '(request-target)') return `(request-target): ${method.toLowerCase()} ${rawUrl}`;
      const value = headerValue(request.headers, name);
      if (value === undefined) throw notAuthenticated(`signed header ${name} is missing from the request`);
      return `${name}: ${value}`;
    });

    const key = this.keys.get(keyId);
    if (key === undefined) throw notAuthenticated(`unknown keyId ${keyId.length > 80 ? `${keyId.slice(0, 80)}…` : keyId}`);
    if (!verifySignatureBytes('sha256', Buffer.from(lines.join('\n')), key, Buffer.from(signature, 'base64'))) {
      throw notAuthenticated('signature does not verify');
    }

    const signedAt = Date.parse(headerValue(request.headers, dateHeader) ?? '');
    if (Number.isNaN(signedAt)) throw notAuthenticated(`${dateHeader} is not a date`);
    if (Math.abs(Date.now() - signedAt) > this.maxClockSkewMs) throw notAuthenticated(`${dateHeader} is outside the allowed clock skew`);
    if (BODY_METHODS.includes(method)) {
      if (headerValue(request.headers, 'x-content-sha256') !== createHash('sha256').update(body).digest('base64'))
        throw notAuthenticated('x-content-sha256 does not match the body');
      if (headerValue(request.headers, 'content-length') !== String(body.length))
        throw notAuthenticated('content-length does not match the body');
    }
  }
}
