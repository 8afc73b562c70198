/**
 * The invocation body: its size limit and its decoding into text. Bytes are
 * decoded as UTF-8 as a whole and strictly; a string body must be one that
 * has a UTF-8 form. A leading BOM is dropped either way.
 */
import { TextDecoder } from 'node:util';
import { describeKind, fail, ok, type Step } from './rejection';

/** Default limit on the body size, in bytes (256 KiB); OCI event messages are a few KiB. */
export const DEFAULT_MAX_BODY_BYTES = 262144;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

// Fatal, so that a malformed byte sequence is rejected rather than turned into
// U+FFFD; the BOM is kept by the decoder and stripped explicitly below so that
// string and byte bodies are treated alike.
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The configured body limit, or {@link DEFAULT_MAX_BODY_BYTES} when `limit` is not a non-negative safe integer. */
export function resolveBodyLimit(limit: unknown): number {
  return typeof limit === 'number' && Number.isSafeInteger(limit) && limit >= 0 ? limit : DEFAULT_MAX_BODY_BYTES;
}

/** The body as text, or a rejection when it is over `limit` bytes, not UTF-8, or neither bytes nor a string. */
export function decodeBody(body: unknown, limit: number): Step<string> {
  let text: string;
  if (typeof body === 'string') {
    const size = Buffer.byteLength(body, 'utf8');
    if (size > limit) return fail(`body is ${size} bytes, over the ${limit}-byte limit`);
    // A JS string can hold halves of surrogate pairs, which have no UTF-8 form.
    if (LONE_SURROGATE.test(body)) return fail('body is not valid UTF-8: it contains a lone surrogate');
    text = body;
  } else if (body instanceof Uint8Array) {
    if (body.byteLength > limit) return fail(`body is ${body.byteLength} bytes, over the ${limit}-byte limit`);
    try {
      text = utf8Decoder.decode(body);
    } catch {
      return fail('body is not valid UTF-8');
    }
  } else {
    return fail(`body is ${describeKind(body)}, expected bytes or a string`);
  }
  return ok(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
}
