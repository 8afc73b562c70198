/** Parsing leaves the process as it found it: no prototype pollution, no swapped global JSON. */
import { parseInvocation, type ParsedInvocation } from '../../src/event';
import { expectKind, expectWellFormed, INSTANCE_ID, loadEventFixture, objectPrototypeKeys, parseFixture } from '../helpers/events';

describe('parseInvocation', () => {
  describe('prototype pollution', () => {
    it.each([
      ['hostile/proto-pollution-oci.json'],
      ['hostile/proto-pollution-structured.json'],
      ['hostile/proto-pollution-reconcile.json'],
      ['hostile/binary-proto-header.json'],
      ['hostile/resource-id-proto-inherited.json'],
    ])('leaves Object.prototype untouched when parsing %s', (fixture) => {
      // Prepare
      const keysBefore = objectPrototypeKeys();

      // Act
      const result = parseFixture(fixture);

      // Assess
      expectWellFormed(result);
      expect(objectPrototypeKeys()).toEqual(keysBefore);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      expect(({} as Record<string, unknown>)['isAdmin']).toBeUndefined();
    });

    it('reads only own fields, even when Object.prototype was polluted by someone else', () => {
      // Prepare
      const body = loadEventFixture('hostile/missing-resource-id.json');
      const prototype = Object.prototype as Record<string, unknown>;
      Object.defineProperty(prototype, 'resourceId', { value: INSTANCE_ID, configurable: true, writable: true });

      // Act
      let result: ParsedInvocation;
      try {
        result = parseInvocation(body, {});
      } finally {
        delete prototype['resourceId'];
      }

      // Assess
      expect(expectKind(result, 'rejected').reason).toBe('data.resourceId is missing');
    });

    it('keeps a "__proto__" key inside data as an ordinary own property', () => {
      // Prepare
      const body = loadEventFixture('hostile/proto-pollution-oci.json');

      // Act
      const { event } = expectKind(parseInvocation(body, {}), 'launch');

      // Assess
      expect(Object.getPrototypeOf(event.data)).toBe(Object.prototype);
      expect(Object.hasOwn(event.data ?? {}, '__proto__')).toBe(true);
      expect((event.data as Record<string, unknown>)['isAdmin']).toBeUndefined();
    });
  });

  describe('side effects of the cloudevents package', () => {
    it('leaves the global JSON object in place even when CE_USE_BIG_INT=true', () => {
      // Prepare
      const nativeJson = JSON;
      const previous = process.env['CE_USE_BIG_INT'];
      process.env['CE_USE_BIG_INT'] = 'true';

      // Act
      let results: ParsedInvocation[];
      try {
        results = ['cloudevents/structured-launch.json', 'cloudevents/binary-launch.json'].map((fixture) => parseFixture(fixture));
      } finally {
        if (previous === undefined) delete process.env['CE_USE_BIG_INT'];
        else process.env['CE_USE_BIG_INT'] = previous;
      }

      // Assess
      for (const result of results) expectKind(result, 'launch');
      expect(globalThis.JSON).toBe(nativeJson);
    });
  });
});
