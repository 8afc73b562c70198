/**
 * The HTTP client handed to the SDK clients. It signs each request with the
 * SDK's own signer and sends it with the abort signal of the attempt in
 * progress, so that no request outlives its attempt's share of the deadline.
 * Using our own client also keeps the SDK's circuit breaker out of the path.
 */
import * as common from 'oci-common';
import { currentAttemptSignal } from './retry';

export class DeadlineAwareHttpClient implements common.HttpClient {
  private readonly signer: common.RequestSigner;

  constructor(provider: common.AuthenticationDetailsProvider) {
    this.signer = new common.DefaultRequestSigner(provider);
  }

  async send(req: common.HttpRequest, forceExcludeBody = false): Promise<Response> {
    const body: unknown = forceExcludeBody ? undefined : req.body;
    if (body !== undefined && body !== null && typeof body !== 'string') {
      throw new TypeError(`${req.method} ${req.uri}: only string request bodies are supported`);
    }
    await this.signer.signHttpRequest({ method: req.method, headers: req.headers, uri: req.uri, body }, forceExcludeBody);
    const init: RequestInit = { method: req.method, headers: req.headers };
    if (typeof body === 'string') init.body = body;
    const signal = currentAttemptSignal();
    if (signal) init.signal = signal;
    return fetch(req.uri, init);
  }
}
