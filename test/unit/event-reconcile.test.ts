/** Reconcile requests, which are not CloudEvents. */
import { parseInvocation } from '../../src/event';
import { COMPARTMENT_ID, expectKind, loadEventFixture, loadEventFixtureHeaders, TENANCY_ID } from '../helpers/events';

describe('parseInvocation', () => {
  describe('reconcile requests', () => {
    it('reads a minimal reconcile request with apply and prune defaulting to false', () => {
      // Prepare
      const body = loadEventFixture('reconcile/minimal.json');

      // Act
      const result = parseInvocation(body, {});

      // Assess
      expect(expectKind(result, 'reconcile')).toEqual({
        kind: 'reconcile',
        compartmentIds: [COMPARTMENT_ID],
        poolCompartmentIds: [COMPARTMENT_ID],
        instanceCompartmentIds: [COMPARTMENT_ID],
        apply: false,
        prune: false,
      });
      expect(Object.hasOwn(result, 'resume')).toBe(false);
    });

    it('reads apply, prune, a resume token and a tenancy OCID', () => {
      // Prepare
      const body = loadEventFixture('reconcile/apply-prune-resume.json');

      // Act
      const result = parseInvocation(body, {});

      // Assess
      expect(expectKind(result, 'reconcile')).toEqual({
        kind: 'reconcile',
        compartmentIds: [COMPARTMENT_ID, TENANCY_ID],
        poolCompartmentIds: [COMPARTMENT_ID, TENANCY_ID],
        instanceCompartmentIds: [COMPARTMENT_ID, TENANCY_ID],
        apply: true,
        prune: true,
        resume: 'AAAAAQAAAAEAAAAJbm9kZXBvb2wxAAAAAA==',
      });
    });

    it('lists each compartment once, in the order first given', () => {
      // Prepare
      const body = loadEventFixture('reconcile/duplicate-compartments.json');

      // Act
      const result = parseInvocation(body, {});

      // Assess
      expect(expectKind(result, 'reconcile').compartmentIds).toEqual([COMPARTMENT_ID, TENANCY_ID]);
    });

    it('recognises a reconcile request before binary-mode CloudEvent headers', () => {
      // Prepare
      const headers = loadEventFixtureHeaders('cloudevents/binary-launch.json');

      // Act
      const result = parseInvocation(loadEventFixture('reconcile/minimal.json'), headers);

      // Assess
      expectKind(result, 'reconcile');
    });

    it('accepts exactly 100 compartments', () => {
      // Prepare
      const compartmentIds = Array.from({ length: 100 }, (_, index) => `ocid1.compartment.oc1..aaaa${String(index).padStart(3, '0')}`);

      // Act
      const result = parseInvocation(JSON.stringify({ action: 'reconcile', compartmentIds }), {});

      // Assess
      expect(expectKind(result, 'reconcile').compartmentIds).toHaveLength(100);
    });

    it('reads pool and instance compartments apart, each defaulting to compartmentIds', () => {
      // Prepare
      const body = JSON.stringify({ action: 'reconcile', poolCompartmentIds: [TENANCY_ID], instanceCompartmentIds: [COMPARTMENT_ID] });
      const partial = JSON.stringify({ action: 'reconcile', compartmentIds: [COMPARTMENT_ID], poolCompartmentIds: [TENANCY_ID] });

      // Act
      const both = expectKind(parseInvocation(body, {}), 'reconcile');
      const one = expectKind(parseInvocation(partial, {}), 'reconcile');

      // Assess
      expect(both).toMatchObject({
        poolCompartmentIds: [TENANCY_ID],
        instanceCompartmentIds: [COMPARTMENT_ID],
        compartmentIds: [TENANCY_ID, COMPARTMENT_ID],
      });
      expect(one).toMatchObject({ poolCompartmentIds: [TENANCY_ID], instanceCompartmentIds: [COMPARTMENT_ID] });
    });

    it('rejects a request naming only one of the two compartment kinds and no compartmentIds', () => {
      const result = parseInvocation(JSON.stringify({ action: 'reconcile', poolCompartmentIds: [TENANCY_ID] }), {});
      expect(result).toMatchObject({ kind: 'rejected', reason: 'compartmentIds is missing' });
    });
  });
});
