/** Property-based tests: whatever the input, a well-formed frozen result and no throw. */
import fc from 'fast-check';
import { LAUNCH_EVENT_TYPE, parseInvocation, TERMINATE_EVENT_TYPE, type InvocationHeaders } from '../../src/event';
import { COMPARTMENT_ID, expectWellFormed, INSTANCE_ID, KINDS, objectPrototypeKeys, TENANCY_ID, type Kind } from '../helpers/events';

describe('parseInvocation', () => {
  describe('fuzzing', () => {
    const headerName = fc.oneof(
      fc.constantFrom(
        'Content-Type',
        'content-type',
        'Ce-Specversion',
        'ce-specversion',
        'Ce-Id',
        'Ce-Type',
        'Ce-Source',
        'Ce-Time',
        'Fn-Http-H-Ce-Specversion',
        'fn-http-h-ce-id',
        'Fn-Http-H-Ce-Type',
        'fn-http-h-ce-source',
        'ce-__proto__',
        '__proto__',
        'constructor',
      ),
      fc.string({ maxLength: 30 }),
    );
    const headerValue = fc.oneof(
      fc.constantFrom('1.0', '0.3', '9.9', '', LAUNCH_EVENT_TYPE, '/s', 'application/json', 'application/cloudevents+json'),
      fc.string({ maxLength: 40 }),
    );
    const headers: fc.Arbitrary<InvocationHeaders> = fc.dictionary(
      headerName,
      fc.oneof(headerValue, fc.array(headerValue, { maxLength: 3 }), fc.constant(undefined)),
      { maxKeys: 8 },
    );
    const resourceId = fc.oneof(
      fc.constant(INSTANCE_ID),
      fc.constantFrom('ocid1.instance.oc1..aaa/../x', 'ocid1.vcn.oc1..aaaa', 'ocid1.instance.oc1..aaa?x=', ''),
      fc.string({ maxLength: 60 }).map((suffix) => `ocid1.instance.oc1..${suffix}`),
      fc.jsonValue({ maxDepth: 2 }),
    );
    const pollutingKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty');
    const eventData = fc.oneof(
      {
        arbitrary: fc.record(
          { resourceId, compartmentId: fc.constantFrom(COMPARTMENT_ID, TENANCY_ID, 'ocid1.vcn.oc1..aaaa', 7) },
          { requiredKeys: [] },
        ),
        weight: 4,
      },
      { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 },
    );
    const eventType = fc.constantFrom(LAUNCH_EVENT_TYPE, LAUNCH_EVENT_TYPE, TERMINATE_EVENT_TYPE, '');
    const eventId = fc.oneof(fc.constant('5b7c2a4e-6f1d-4c1e-9a55-2d8f3e9b1c07'), fc.string({ maxLength: 20 }));
    const ociEnvelope = fc.record(
      {
        eventType,
        cloudEventsVersion: fc.constantFrom('0.1', '0.1', '1.0'),
        eventID: eventId,
        source: fc.constantFrom('ComputeApi', ''),
        eventTime: fc.constantFrom('2026-11-20T10:02:13.481Z', 'soon'),
        extensions: fc.record({ compartmentId: fc.constantFrom(COMPARTMENT_ID, 'x') }),
        data: eventData,
      },
      { requiredKeys: ['eventType', 'cloudEventsVersion'] },
    );
    const structuredEvent = fc.record(
      {
        specversion: fc.constantFrom('1.0', '1.0', '9.9'),
        id: eventId,
        type: eventType,
        source: fc.constantFrom('/s', 'ComputeApi', 'not a uri ::'),
        data: eventData,
      },
      { requiredKeys: ['specversion'] },
    );
    const reconcileBody = fc.record(
      {
        action: fc.constantFrom('reconcile', 'reconcile', 'other'),
        compartmentIds: fc.array(fc.constantFrom(COMPARTMENT_ID, TENANCY_ID, INSTANCE_ID), { maxLength: 3 }),
        apply: fc.oneof(fc.boolean(), fc.constant('yes')),
        resume: fc.string({ maxLength: 10 }),
      },
      { requiredKeys: ['action'] },
    );
    const binaryHeaders: fc.Arbitrary<InvocationHeaders> = fc.record(
      {
        'Ce-Specversion': fc.constantFrom(['1.0'], '1.0', ['9.9']),
        'Fn-Http-H-Ce-Id': eventId.map((id) => [id]),
        'ce-type': eventType,
        'Ce-Source': fc.constantFrom(['/services/compute'], ['']),
      },
      { requiredKeys: ['Ce-Specversion'] },
    );
    /** A body and headers shaped like one of the accepted inputs, often valid and sometimes slightly off. */
    const invocation: fc.Arbitrary<{ readonly body: unknown; readonly headers: InvocationHeaders }> = fc.oneof(
      ociEnvelope.map((body) => ({ body, headers: {} })),
      structuredEvent.map((body) => ({ body, headers: {} })),
      reconcileBody.map((body) => ({ body, headers: {} })),
      fc.record({ body: eventData, headers: binaryHeaders }),
      fc.record({ body: fc.oneof(ociEnvelope, structuredEvent, eventData), headers }),
    );

    it('always returns a well-formed result for arbitrary bytes', () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 512 }), headers, (bytes, anyHeaders) => {
          expectWellFormed(parseInvocation(Buffer.from(bytes), anyHeaders));
        }),
        { numRuns: 500 },
      );
    });

    it('always returns a well-formed result for arbitrary JSON values', () => {
      fc.assert(
        fc.property(fc.jsonValue(), headers, (value, anyHeaders) => {
          expectWellFormed(parseInvocation(JSON.stringify(value) ?? '', anyHeaders));
        }),
        { numRuns: 500 },
      );
    });

    it('returns launch only for a well-formed instance OCID, for event-shaped input', () => {
      const seen = new Set<Kind>();
      fc.assert(
        fc.property(invocation, ({ body, headers: invocationHeaders }) => {
          const result = parseInvocation(JSON.stringify(body) ?? '', invocationHeaders);
          expectWellFormed(result);
          seen.add(result.kind);
          // The binary-mode body is the data itself; the other shapes nest it under "data".
          const data: unknown = typeof body === 'object' && body !== null && 'data' in body ? body.data : body;
          const sent = typeof data === 'object' && data !== null && 'resourceId' in data ? data.resourceId : undefined;
          if (result.kind === 'launch') expect(result.instanceId).toBe(sent);
        }),
        { numRuns: 1000 },
      );
      // The generator must reach every outcome, or the property above proves little.
      expect([...seen].sort()).toEqual([...KINDS].sort());
    });

    it('never throws for arbitrary runtime values as body, headers and options', () => {
      fc.assert(
        fc.property(fc.anything(), fc.anything(), fc.anything(), (body, anyHeaders, options) => {
          const result = parseInvocation(body as string, anyHeaders as InvocationHeaders, options as { maxBodyBytes?: number });
          expectWellFormed(result);
        }),
        { numRuns: 300 },
      );
    });

    it('never pollutes Object.prototype, whatever keys the JSON holds', () => {
      const keysBefore = objectPrototypeKeys();
      const pollutingJson = fc.letrec((tie) => ({
        node: fc.oneof(
          { depthSize: 'small' },
          fc.jsonValue({ maxDepth: 1 }),
          fc.dictionary(fc.oneof(pollutingKey, fc.string({ maxLength: 8 })), tie('node'), { maxKeys: 4 }),
        ),
      })).node;
      fc.assert(
        fc.property(pollutingJson, fc.oneof(ociEnvelope, structuredEvent), (polluting, event) => {
          const data = typeof event.data === 'object' && event.data !== null ? event.data : {};
          const body = JSON.stringify({ ...event, data: { ...data, extra: polluting } }).replace(/"extra"/, '"__proto__"');
          expectWellFormed(parseInvocation(body, {}));
          expectWellFormed(parseInvocation(JSON.stringify(polluting) ?? '', {}));
          expect(objectPrototypeKeys()).toEqual(keysBefore);
          expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
        }),
        { numRuns: 300 },
      );
    });
  });
});
