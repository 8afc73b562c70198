/** The limits on body size, encoding and nesting, and inputs that are not what the types promise. */
import { DEFAULT_MAX_BODY_BYTES, LAUNCH_EVENT_TYPE, parseInvocation, type InvocationHeaders } from '../../src/event';
import { expectKind, INSTANCE_ID, loadEventFixture } from '../helpers/events';

describe('parseInvocation', () => {
  describe('the hostile corpus', () => {
    it('rejects a body over the default limit, naming its size and the limit', () => {
      // Prepare
      const body = Buffer.alloc(DEFAULT_MAX_BODY_BYTES + 1, 0x20);

      // Act
      const result = parseInvocation(body, {});

      // Assess
      expect(expectKind(result, 'rejected').reason).toBe('body is 262145 bytes, over the 262144-byte limit');
    });

    it('accepts a body of exactly the limit', () => {
      // Prepare
      const event = loadEventFixture('oci/launchinstance-end.json');
      const body = Buffer.concat([event, Buffer.alloc(DEFAULT_MAX_BODY_BYTES - event.length, 0x20)]);

      // Act
      const result = parseInvocation(body, {});

      // Assess
      expect(body.length).toBe(DEFAULT_MAX_BODY_BYTES);
      expectKind(result, 'launch');
    });

    it('checks the size before decoding, so an oversized invalid body is rejected for its size', () => {
      // Prepare
      const body = Buffer.alloc(DEFAULT_MAX_BODY_BYTES + 10, 0xff);

      // Act
      const result = parseInvocation(body, {});

      // Assess
      expect(expectKind(result, 'rejected').reason).toMatch(/^body is 262154 bytes, over the 262144-byte limit$/);
    });

    it('counts a string body in UTF-8 bytes, not in characters', () => {
      // Prepare: 100 three-byte characters are 300 bytes.
      const body = JSON.stringify({ note: '語'.repeat(100) });

      // Act
      const result = parseInvocation(body, {}, { maxBodyBytes: 200 });

      // Assess
      expect(expectKind(result, 'rejected').reason).toBe(`body is ${Buffer.byteLength(body)} bytes, over the 200-byte limit`);
    });

    it('honours a smaller maxBodyBytes and falls back to the default for a nonsensical one', () => {
      // Prepare
      const body = loadEventFixture('oci/launchinstance-end.json');

      // Act
      const small = parseInvocation(body, {}, { maxBodyBytes: 100 });
      const nonsense = [-1, Number.NaN, 1.5, Number.POSITIVE_INFINITY].map((maxBodyBytes) => parseInvocation(body, {}, { maxBodyBytes }));

      // Assess
      expect(expectKind(small, 'rejected').reason).toBe(`body is ${body.length} bytes, over the 100-byte limit`);
      for (const result of nonsense) expectKind(result, 'launch');
    });

    it('rejects a string body holding a lone surrogate, which has no UTF-8 form', () => {
      // Prepare
      const body = JSON.stringify({ eventType: 'x\ud800y' }).replace('\\ud800', '\ud800');

      // Act
      const result = parseInvocation(body, {});

      // Assess
      expect(expectKind(result, 'rejected').reason).toBe('body is not valid UTF-8: it contains a lone surrogate');
    });

    it('rejects nesting hundreds of thousands of levels deep without overflowing the stack', () => {
      // Prepare
      const depth = 130000;
      const body = '['.repeat(depth) + ']'.repeat(depth);

      // Act
      const result = parseInvocation(body, {});

      // Assess
      expect(expectKind(result, 'rejected').reason).toBe('body nests deeper than 64 levels');
    });

    it('accepts nesting up to the limit inside data', () => {
      // Prepare: the event object is level 1 and data level 2, so 62 more arrays reach level 64.
      const nested = '['.repeat(62) + ']'.repeat(62);
      const body = `{"specversion":"1.0","id":"a","type":"${LAUNCH_EVENT_TYPE}","source":"/s","data":{"resourceId":"${INSTANCE_ID}","n":${nested}}}`;

      // Act
      const result = parseInvocation(body, {});
      const deeper = parseInvocation(body.replace(nested, `[${nested}]`), {});

      // Assess
      expectKind(result, 'launch');
      expect(expectKind(deeper, 'rejected').reason).toBe('body nests deeper than 64 levels');
    });

    it('rejects a body that is neither bytes nor a string', () => {
      // Prepare
      const bodies: unknown[] = [undefined, null, 42, { eventType: LAUNCH_EVENT_TYPE }, new ArrayBuffer(4)];

      // Act
      const results = bodies.map((body) => parseInvocation(body as string, {}));

      // Assess
      expect(results.map((result) => expectKind(result, 'rejected').reason)).toEqual([
        'body is missing, expected bytes or a string',
        'body is null, expected bytes or a string',
        'body is a number, expected bytes or a string',
        'body is an object, expected bytes or a string',
        'body is an object, expected bytes or a string',
      ]);
    });

    it('turns a header map that throws when read into a rejection instead of a throw', () => {
      // Prepare
      const headers = new Proxy(
        {},
        {
          ownKeys() {
            throw new Error('header map exploded');
          },
        },
      );

      // Act
      const result = parseInvocation(loadEventFixture('oci/launchinstance-end.json'), headers);

      // Assess
      expect(expectKind(result, 'rejected').reason).toBe('input could not be parsed: header map exploded');
    });

    it('ignores header values that are not strings', () => {
      // Prepare
      const headers = { 'ce-specversion': [42], 'ce-id': { value: 'x' } } as unknown as InvocationHeaders;

      // Act
      const result = parseInvocation(loadEventFixture('oci/launchinstance-end.json'), headers);

      // Assess
      expectKind(result, 'launch');
    });
  });
});
