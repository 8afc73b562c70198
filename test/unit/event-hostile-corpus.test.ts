/** The hostile fixtures, each with the result and reason expected, and how reasons quote hostile input. */
import { MAX_ECHO_LENGTH, parseInvocation } from '../../src/event';
import {
  expectKind,
  expectWellFormed,
  listEventFixtures,
  loadEventFixture,
  loadEventFixtureHeaders,
  parseFixture,
  type Kind,
} from '../helpers/events';

describe('parseInvocation', () => {
  describe('the hostile corpus', () => {
    interface Expectation {
      readonly kind: Kind;
      readonly reason?: string | RegExp;
      readonly eventId?: string;
    }
    const OCI_ID = '5b7c2a4e-6f1d-4c1e-9a55-2d8f3e9b1c07';
    const CE_ID = '9c4e1f7a-6b2d-4a83-9e5f-3d7c1b0a8e46';
    const BINARY_ID = '7d2a9e4c-5f1b-4e3a-a8c6-2b9f0d7e1c53';
    const notObject = (kind: string): string => `body is ${kind}, not a JSON object`;
    const malformedResourceId = (quoted: string): string => `data.resourceId is not a well-formed OCID: ${quoted}`;

    const expectations: Readonly<Record<string, Expectation>> = {
      'hostile/not-json.txt': { kind: 'rejected', reason: /^body is not JSON: Unexpected token/ },
      'hostile/truncated-json.json': { kind: 'rejected', reason: /^body is not JSON: / },
      'hostile/empty.txt': { kind: 'rejected', reason: 'body is empty' },
      'hostile/whitespace-only.txt': { kind: 'rejected', reason: 'body is empty' },
      'hostile/invalid-utf8.txt': { kind: 'rejected', reason: 'body is not valid UTF-8' },
      'hostile/overlong-utf8-slash.txt': { kind: 'rejected', reason: 'body is not valid UTF-8' },
      'hostile/array.json': { kind: 'rejected', reason: notObject('an array') },
      'hostile/string.json': { kind: 'rejected', reason: notObject('a string') },
      'hostile/number.json': { kind: 'rejected', reason: notObject('a number') },
      'hostile/null.json': { kind: 'rejected', reason: notObject('null') },
      'hostile/boolean.json': { kind: 'rejected', reason: notObject('a boolean') },
      'hostile/missing-data.json': { kind: 'rejected', reason: 'data is missing', eventId: OCI_ID },
      'hostile/data-null.json': { kind: 'rejected', reason: 'data is null, not a JSON object', eventId: OCI_ID },
      'hostile/data-array.json': { kind: 'rejected', reason: 'data is an array, not a JSON object', eventId: OCI_ID },
      'hostile/missing-resource-id.json': { kind: 'rejected', reason: 'data.resourceId is missing', eventId: OCI_ID },
      'hostile/resource-id-proto-inherited.json': { kind: 'rejected', reason: 'data.resourceId is missing', eventId: OCI_ID },
      'hostile/resource-id-number.json': { kind: 'rejected', reason: 'data.resourceId is a number, not a string', eventId: OCI_ID },
      'hostile/resource-id-empty.json': { kind: 'rejected', reason: malformedResourceId('""'), eventId: OCI_ID },
      'hostile/resource-id-vcn.json': {
        kind: 'rejected',
        reason: 'data.resourceId is an OCID of type "vcn", not an instance OCID',
        eventId: OCI_ID,
      },
      'hostile/resource-id-path-traversal.json': { kind: 'rejected', reason: malformedResourceId('"ocid1.instance.oc1..aaa/../../x"') },
      'hostile/resource-id-query.json': { kind: 'rejected', reason: malformedResourceId('"ocid1.instance.oc1..aaa?x="') },
      'hostile/resource-id-percent-encoded.json': {
        kind: 'rejected',
        reason: malformedResourceId('"ocid1.instance.oc1..aaa%2F..%2Fnodepools"'),
      },
      'hostile/resource-id-unicode.json': { kind: 'rejected', reason: malformedResourceId('"ocid1.instance.oc1..ааа"') },
      'hostile/resource-id-fullwidth.json': { kind: 'rejected', reason: malformedResourceId('"ocid1.instance.oc1..ａａａ"') },
      'hostile/resource-id-spaces.json': { kind: 'rejected', reason: malformedResourceId('" ocid1.instance.oc1..aaa bbb "') },
      'hostile/resource-id-newline.json': {
        kind: 'rejected',
        reason: malformedResourceId('"ocid1.instance.oc1..aaa\\n{\\"level\\":\\"info\\",\\"msg\\":\\"forged\\"}"'),
      },
      'hostile/resource-id-huge.json': {
        kind: 'rejected',
        reason: /^data\.resourceId is not a well-formed OCID: "ocid1\.instance\.oc1\.\.a{80}"… \(20020 characters\)$/,
      },
      'hostile/event-id-huge.json': { kind: 'rejected', reason: 'eventID is longer than 1024 characters' },
      'hostile/event-id-empty.json': { kind: 'rejected', reason: 'eventID is empty' },
      'hostile/event-id-number.json': { kind: 'rejected', reason: 'eventID is a number, not a string' },
      'hostile/event-ids-disagree.json': { kind: 'rejected', reason: 'eventID and eventId disagree' },
      'hostile/oci-missing-event-id.json': { kind: 'rejected', reason: 'eventID is missing' },
      'hostile/event-type-number.json': { kind: 'rejected', reason: 'eventType is a number, not a string', eventId: OCI_ID },
      'hostile/event-type-huge.json': { kind: 'rejected', reason: 'eventType is longer than 1024 characters', eventId: OCI_ID },
      'hostile/oci-missing-source.json': { kind: 'rejected', reason: 'source is missing', eventId: OCI_ID },
      'hostile/oci-cloud-events-version-1.0.json': {
        kind: 'rejected',
        reason: 'cloudEventsVersion "1.0" is not supported; expected "0.1"',
      },
      'hostile/oci-event-time-garbage.json': { kind: 'rejected', reason: 'eventTime "not a time" is not a timestamp', eventId: OCI_ID },
      'hostile/ce-specversion-9.9.json': { kind: 'rejected', reason: 'specversion "9.9" is not supported; expected "1.0"' },
      'hostile/ce-specversion-0.3.json': { kind: 'rejected', reason: 'specversion "0.3" is not supported; expected "1.0"' },
      'hostile/ce-specversion-number.json': { kind: 'rejected', reason: 'specversion 1 is not supported; expected "1.0"' },
      'hostile/ce-specversion-missing.json': { kind: 'rejected', reason: /^not an OCI event or CloudEvent: expected "specversion"/ },
      'hostile/ce-missing-id.json': { kind: 'rejected', reason: 'id is missing' },
      'hostile/ce-source-not-uri.json': {
        kind: 'rejected',
        reason: /^not a valid CloudEvent: invalid payload .*uri-reference/,
        eventId: CE_ID,
      },
      'hostile/ce-time-garbage.json': { kind: 'rejected', reason: 'time "yesterday-ish" is not a timestamp', eventId: CE_ID },
      'hostile/ce-bad-attribute-name.json': {
        kind: 'rejected',
        reason: 'attribute "Compartment_Id" is not a valid CloudEvents attribute name',
      },
      'hostile/ce-data-json-string.json': { kind: 'rejected', reason: 'data is a string, not a JSON object', eventId: CE_ID },
      'hostile/ce-data-base64.json': { kind: 'rejected', reason: 'data is binary data, not a JSON object', eventId: CE_ID },
      'hostile/deep-nesting.json': { kind: 'rejected', reason: 'body nests deeper than 64 levels' },
      'hostile/proto-pollution-oci.json': { kind: 'launch', eventId: OCI_ID },
      'hostile/proto-pollution-structured.json': {
        kind: 'rejected',
        reason: 'attribute "__proto__" is not a valid CloudEvents attribute name',
      },
      'hostile/proto-pollution-reconcile.json': { kind: 'rejected', reason: 'reconcile request has an unknown key "__proto__"' },
      'hostile/binary-specversion-9.9.json': { kind: 'rejected', reason: 'ce-specversion header "9.9" is not supported; expected "1.0"' },
      'hostile/binary-specversion-0.3.json': { kind: 'rejected', reason: 'ce-specversion header "0.3" is not supported; expected "1.0"' },
      'hostile/binary-missing-id.json': { kind: 'rejected', reason: 'ce-id header is missing or empty' },
      'hostile/binary-empty-body.txt': {
        kind: 'rejected',
        reason: 'data is missing: the binary-mode CloudEvent has an empty body',
        eventId: BINARY_ID,
      },
      'hostile/binary-proto-header.json': { kind: 'rejected', reason: 'header "ce-__proto__" does not name a valid CloudEvents attribute' },
      'hostile/binary-conflicting-id.json': { kind: 'rejected', reason: /^header ce-id has conflicting values/ },
      'hostile/binary-structured-content-type.json': {
        kind: 'rejected',
        reason: 'binary-mode ce-* headers came with the structured-mode Content-Type "application/cloudevents+json"',
      },
      'hostile/binary-body-array.json': { kind: 'rejected', reason: notObject('an array') },
      'hostile/reconcile-unknown-action.json': {
        kind: 'rejected',
        reason: 'action "delete-everything" is not supported; expected "reconcile"',
      },
      'hostile/reconcile-action-number.json': { kind: 'rejected', reason: 'action 1 is not supported; expected "reconcile"' },
      'hostile/reconcile-unknown-key.json': { kind: 'rejected', reason: 'reconcile request has an unknown key "force"' },
      'hostile/reconcile-missing-compartments.json': { kind: 'rejected', reason: 'compartmentIds is missing' },
      'hostile/reconcile-empty-compartments.json': { kind: 'rejected', reason: 'compartmentIds is empty' },
      'hostile/reconcile-compartments-string.json': { kind: 'rejected', reason: 'compartmentIds is a string, not an array' },
      'hostile/reconcile-instance-as-compartment.json': {
        kind: 'rejected',
        reason: 'compartmentIds[1] is an OCID of type "instance", not a compartment or tenancy OCID',
      },
      'hostile/reconcile-compartment-injection.json': {
        kind: 'rejected',
        reason: 'compartmentIds[0] is not a well-formed OCID: "ocid1.compartment.oc1..aaa/../../x"',
      },
      'hostile/reconcile-too-many-compartments.json': { kind: 'rejected', reason: 'compartmentIds has 101 entries, over the limit of 100' },
      'hostile/reconcile-apply-string.json': { kind: 'rejected', reason: 'apply is a string, not a boolean' },
      'hostile/reconcile-prune-number.json': { kind: 'rejected', reason: 'prune is a number, not a boolean' },
      'hostile/reconcile-resume-control-chars.json': {
        kind: 'rejected',
        reason: 'resume contains characters that are not printable ASCII',
      },
      'hostile/reconcile-resume-huge.json': { kind: 'rejected', reason: 'resume is longer than 4096 characters' },
      'hostile/reconcile-resume-empty.json': { kind: 'rejected', reason: 'resume is empty' },
    };

    it('has an expectation for every file in the hostile directory, and a file for every expectation', () => {
      // Prepare
      const files = listEventFixtures('hostile');

      // Act
      const expected = Object.keys(expectations).sort();

      // Assess
      expect(files).toEqual(expected);
    });

    it.each(Object.entries(expectations))('classifies %s as expected', (fixture, expectation) => {
      // Prepare
      const body = loadEventFixture(fixture);
      const headers = loadEventFixtureHeaders(fixture);

      // Act
      const result = parseInvocation(body, headers);

      // Assess
      expectWellFormed(result);
      expect(result.kind).toBe(expectation.kind);
      if (expectation.reason !== undefined) {
        const reason = 'reason' in result ? result.reason : undefined;
        if (typeof expectation.reason === 'string') expect(reason).toBe(expectation.reason);
        else expect(reason).toMatch(expectation.reason);
      }
      if (expectation.eventId !== undefined) expect(result).toMatchObject({ eventId: expectation.eventId });
    });

    it('never quotes more than about 100 characters of hostile input in a reason', () => {
      // Prepare
      const fixtures = [
        'hostile/resource-id-huge.json',
        'hostile/event-id-huge.json',
        'hostile/event-type-huge.json',
        'hostile/reconcile-resume-huge.json',
      ];

      // Act
      const reasons = fixtures.map((fixture) => {
        const result = parseFixture(fixture);
        return 'reason' in result ? result.reason : '';
      });

      // Assess
      for (const reason of reasons) {
        expect(reason.length).toBeGreaterThan(0);
        expect(reason.length).toBeLessThanOrEqual(MAX_ECHO_LENGTH + 100);
        expect(reason).not.toMatch(/(.)\1{100}/);
      }
    });

    it('escapes control characters it quotes, so a reason cannot forge a log line', () => {
      // Prepare
      const fixture = 'hostile/resource-id-newline.json';

      // Act
      const result = expectKind(parseFixture(fixture), 'rejected');

      // Assess
      expect(result.reason).not.toMatch(/[\n\r]/);
    });
  });
});
