/** Every result is frozen, down to the event data. */
import { parseInvocation, type ParsedInvocation } from '../../src/event';
import { expectKind, loadEventFixture, parseFixture } from '../helpers/events';

describe('parseInvocation', () => {
  describe('frozen results', () => {
    it('returns a launch event frozen down to the nested data', () => {
      // Prepare
      const body = loadEventFixture('oci/launchinstance-end.json');

      // Act
      const launch = expectKind(parseInvocation(body, {}), 'launch');

      // Assess
      const data = launch.event.data as { definedTags: Record<string, Record<string, string>> };
      expect(Object.isFrozen(launch)).toBe(true);
      expect(Object.isFrozen(launch.event)).toBe(true);
      expect(Object.isFrozen(data)).toBe(true);
      expect(Object.isFrozen(data.definedTags)).toBe(true);
      expect(Object.isFrozen(data.definedTags['Oracle-Tags'])).toBe(true);
      expect(() => {
        (launch as { instanceId: string }).instanceId = 'ocid1.instance.oc1..other';
      }).toThrow(TypeError);
      expect(() => {
        (data.definedTags['Oracle-Tags'] as Record<string, string>)['CreatedBy'] = 'someone else';
      }).toThrow(TypeError);
    });

    it('returns frozen binary-mode and structured events', () => {
      // Prepare
      const fixtures = ['cloudevents/binary-launch.json', 'cloudevents/structured-launch.json'];

      // Act
      const launches = fixtures.map((fixture) => expectKind(parseFixture(fixture), 'launch'));

      // Assess
      for (const launch of launches) {
        expect(Object.isFrozen(launch.event)).toBe(true);
        expect(Object.isFrozen(launch.event.data)).toBe(true);
        expect(Object.isFrozen(launch.event.data?.['additionalDetails'])).toBe(true);
      }
    });

    it('returns frozen reconcile requests, compartment lists, ignored and rejected results', () => {
      // Prepare
      const inputs = ['reconcile/apply-prune-resume.json', 'oci/terminateinstance-end.json', 'hostile/array.json'];

      // Act
      const [reconcile, ignored, rejected] = inputs.map((fixture) => parseFixture(fixture));

      // Assess
      const request = expectKind(reconcile as ParsedInvocation, 'reconcile');
      expect(Object.isFrozen(request)).toBe(true);
      expect(Object.isFrozen(request.compartmentIds)).toBe(true);
      expect(Object.isFrozen(expectKind(ignored as ParsedInvocation, 'ignored'))).toBe(true);
      expect(Object.isFrozen(expectKind(rejected as ParsedInvocation, 'rejected'))).toBe(true);
    });
  });
});
