import fc from 'fast-check';
import { CloudEvent } from 'cloudevents';
import {
  DEFAULT_MAX_BODY_BYTES,
  LAUNCH_EVENT_TYPE,
  MAX_ECHO_LENGTH,
  parseInvocation,
  type InvocationHeaders,
  type ParsedInvocation,
} from '../../src/event';
import { isOcid } from '../../src/ocid';
import { listEventFixtures, loadEventFixture, loadEventFixtureHeaders } from '../helpers/events';

const INSTANCE_ID = 'ocid1.instance.oc1.iad.anuwcljtexampleinstance00000000000000000000000000000000';
const COMPARTMENT_ID = 'ocid1.compartment.oc1..aaaaaaaaexampleworkerscompartment0000000000000000000000';
const TENANCY_ID = 'ocid1.tenancy.oc1..aaaaaaaaexampletenancy00000000000000000000000000000000000';
const TERMINATE_EVENT_TYPE = 'com.oraclecloud.computeapi.terminateinstance.end';
const KINDS: ReadonlyArray<ParsedInvocation['kind']> = ['launch', 'ignored', 'rejected', 'reconcile'];

type Kind = ParsedInvocation['kind'];
type OfKind<K extends Kind> = Extract<ParsedInvocation, { kind: K }>;

/** Asserts the kind and narrows the type, so a wrong kind fails with a readable diff. */
function expectKind<K extends Kind>(result: ParsedInvocation, kind: K): OfKind<K> {
  expect(result).toMatchObject({ kind });
  if (result.kind !== kind) throw new Error(`expected ${kind}, got ${JSON.stringify(result)}`);
  return result as OfKind<K>;
}

/** Parses a fixture with the headers recorded beside it. */
function parseFixture(relativePath: string, headers?: InvocationHeaders): ParsedInvocation {
  return parseInvocation(loadEventFixture(relativePath), headers ?? loadEventFixtureHeaders(relativePath));
}

/** The FDK's header form turned into lower-case names with plain string values. */
function toLowerCasePlainHeaders(headers: InvocationHeaders): InvocationHeaders {
  const plain: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') plain[name.toLowerCase()] = first;
  }
  return plain;
}

/** What every result must satisfy, whatever the input. */
function expectWellFormed(result: ParsedInvocation): void {
  expect(KINDS).toContain(result.kind);
  expect(Object.isFrozen(result)).toBe(true);
  if (result.kind === 'launch') expect(isOcid(result.instanceId, 'instance')).toBe(true);
  if (result.kind === 'rejected' || result.kind === 'ignored') {
    expect(typeof result.reason).toBe('string');
    expect(result.reason.length).toBeGreaterThan(0);
  }
}

function objectPrototypeKeys(): string[] {
  return Object.getOwnPropertyNames(Object.prototype).sort();
}

describe('parseInvocation', () => {
  describe('the good corpus', () => {
    it('turns the recorded OCI launchinstance.end envelope into a launch event', () => {
      // Prepare
      const body = loadEventFixture('oci/launchinstance-end.json');

      // Act
      const result = parseInvocation(body, { 'Content-Type': ['application/json'] });

      // Assess
      const launch = expectKind(result, 'launch');
      expect(launch).toMatchObject({
        eventId: '5b7c2a4e-6f1d-4c1e-9a55-2d8f3e9b1c07',
        eventType: LAUNCH_EVENT_TYPE,
        instanceId: INSTANCE_ID,
        compartmentId: COMPARTMENT_ID,
      });
    });

    it('maps the OCI envelope into a CloudEvents 1.0 event carrying the compartment as a lower-case extension', () => {
      // Prepare
      const body = loadEventFixture('oci/launchinstance-end.json');

      // Act
      const { event } = expectKind(parseInvocation(body, {}), 'launch');

      // Assess
      expect(event).toBeInstanceOf(CloudEvent);
      expect(event).toMatchObject({
        specversion: '1.0',
        id: '5b7c2a4e-6f1d-4c1e-9a55-2d8f3e9b1c07',
        type: LAUNCH_EVENT_TYPE,
        source: 'ComputeApi',
        time: '2026-11-20T10:02:13.481Z',
        datacontenttype: 'application/json',
        compartmentid: COMPARTMENT_ID,
      });
      expect(event.data).toMatchObject({ resourceId: INSTANCE_ID, resourceName: 'oke-c4dmzrtgm3d-nvqwc3lfpqa-0' });
    });

    it('accepts the eventId spelling of the OCI envelope', () => {
      // Prepare
      const body = loadEventFixture('oci/launchinstance-end-eventId.json');

      // Act
      const result = parseInvocation(body, {});

      // Assess
      expect(expectKind(result, 'launch')).toMatchObject({ eventId: '0d3f6c1a-2b9e-4f7a-8c15-7e4b9a2d6f13', instanceId: INSTANCE_ID });
    });

    it('takes a root compartment, whose OCID is the tenancy OCID, as the compartment', () => {
      // Prepare
      const body = loadEventFixture('oci/launchinstance-end-root-compartment.json');

      // Act
      const result = parseInvocation(body, {});

      // Assess
      expect(expectKind(result, 'launch').compartmentId).toBe(TENANCY_ID);
    });

    it.each([['application/cloudevents+json; charset=utf-8'], ['application/json'], ['text/plain']])(
      'accepts a structured CloudEvent whatever the Content-Type (%s) says',
      (contentType) => {
        // Prepare
        const body = loadEventFixture('cloudevents/structured-launch.json');

        // Act
        const result = parseInvocation(body, { 'Content-Type': [contentType] });

        // Assess
        const launch = expectKind(result, 'launch');
        expect(launch).toMatchObject({
          eventId: '9c4e1f7a-6b2d-4a83-9e5f-3d7c1b0a8e46',
          instanceId: INSTANCE_ID,
          compartmentId: COMPARTMENT_ID,
        });
        expect(launch.event).toMatchObject({ specversion: '1.0', source: '/services/compute', compartmentid: COMPARTMENT_ID });
      },
    );

    it('accepts a structured CloudEvent with no headers at all', () => {
      // Prepare
      const body = loadEventFixture('cloudevents/structured-launch.json');

      // Act
      const result = parseInvocation(body, {});

      // Assess
      expect(expectKind(result, 'launch').instanceId).toBe(INSTANCE_ID);
    });

    it('accepts a binary-mode CloudEvent from Ce-* headers in the FDK array form', () => {
      // Prepare
      const fixture = 'cloudevents/binary-launch.json';

      // Act
      const result = parseFixture(fixture);

      // Assess
      const launch = expectKind(result, 'launch');
      expect(launch).toMatchObject({
        eventId: '7d2a9e4c-5f1b-4e3a-a8c6-2b9f0d7e1c53',
        eventType: LAUNCH_EVENT_TYPE,
        instanceId: INSTANCE_ID,
      });
      expect(launch.event).toMatchObject({ specversion: '1.0', source: '/services/compute', datacontenttype: 'application/json' });
      expect(launch.compartmentId).toBe(COMPARTMENT_ID);
    });

    it('accepts a binary-mode CloudEvent from Fn-Http-H-Ce-* headers in the FDK array form', () => {
      // Prepare
      const fixture = 'cloudevents/binary-launch-api-gateway.json';

      // Act
      const result = parseFixture(fixture);

      // Assess
      expect(expectKind(result, 'launch')).toMatchObject({ eventId: '3b6e9d1f-8c2a-4f5e-b7d3-0a4c6e8f2b19', instanceId: INSTANCE_ID });
    });

    it.each([['cloudevents/binary-launch.json'], ['cloudevents/binary-launch-api-gateway.json']])(
      'accepts the headers of %s as lower-case names with plain string values',
      (fixture) => {
        // Prepare
        const headers = toLowerCasePlainHeaders(loadEventFixtureHeaders(fixture));

        // Act
        const result = parseFixture(fixture, headers);

        // Assess
        expect(expectKind(result, 'launch').instanceId).toBe(INSTANCE_ID);
      },
    );

    it('accepts ce-* header names in any case', () => {
      // Prepare
      const headers = {
        'CE-SPECVERSION': '1.0',
        'ce-ID': 'mixed-case-id',
        'cE-tYpE': [LAUNCH_EVENT_TYPE],
        'Ce-Source': '/services/compute',
      };

      // Act
      const result = parseInvocation(loadEventFixture('cloudevents/binary-launch.json'), headers);

      // Assess
      expect(expectKind(result, 'launch').eventId).toBe('mixed-case-id');
    });

    it('decodes multi-byte UTF-8 characters by decoding the whole body at once', () => {
      // Prepare
      const body = loadEventFixture('oci/launchinstance-end-multibyte.json');

      // Act
      const { event } = expectKind(parseInvocation(body, {}), 'launch');

      // Assess
      expect(event.data).toMatchObject({
        resourceName: 'oke-ノード-プール-é-🚀-0',
        freeformTags: { owner: 'Jürgen Groß', note: '日本語のタグ ✓' },
      });
    });

    it('keeps a multi-byte character intact where it straddles a 64 KiB chunk boundary', () => {
      // Prepare
      const chunkBoundary = 65536;
      const template = JSON.parse(loadEventFixture('oci/launchinstance-end.json').toString('utf8')) as Record<
        string,
        Record<string, unknown>
      >;
      const placeholder = 'PADDING_PLACEHOLDER';
      (template['data'] as Record<string, unknown>)['freeformTags'] = { padding: placeholder };
      const skeleton = JSON.stringify(template);
      const paddingStart = Buffer.byteLength(skeleton.slice(0, skeleton.indexOf(placeholder)), 'utf8');
      // The four-byte rocket begins two bytes before the boundary, so its bytes are split 2 + 2.
      const padding = 'x'.repeat(chunkBoundary - 2 - paddingStart) + '🚀';
      const body = Buffer.from(skeleton.replace(placeholder, padding), 'utf8');
      expect(body[chunkBoundary]).toBeGreaterThanOrEqual(0x80);
      expect(body[chunkBoundary]).toBeLessThanOrEqual(0xbf);

      // Act
      const { event } = expectKind(parseInvocation(body, {}), 'launch');

      // Assess
      expect(event.data?.['freeformTags']).toEqual({ padding });
      expect(JSON.stringify(event.data)).not.toContain('\ufffd');
    });

    it('strips a UTF-8 byte order mark before parsing', () => {
      // Prepare
      const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), loadEventFixture('oci/launchinstance-end.json')]);

      // Act
      const result = parseInvocation(body, {});

      // Assess
      expect(expectKind(result, 'launch').instanceId).toBe(INSTANCE_ID);
    });

    it('accepts the body as a string, a Buffer or a plain Uint8Array alike', () => {
      // Prepare
      const bytes = loadEventFixture('oci/launchinstance-end.json');
      const forms = [bytes, new Uint8Array(bytes), bytes.toString('utf8'), `\ufeff${bytes.toString('utf8')}`];

      // Act
      const results = forms.map((body) => parseInvocation(body, {}));

      // Assess
      for (const result of results) expect(expectKind(result, 'launch').instanceId).toBe(INSTANCE_ID);
    });

    it('drops a data.compartmentId that is not a compartment OCID and falls back to the envelope', () => {
      // Prepare
      const event = JSON.parse(loadEventFixture('oci/launchinstance-end.json').toString('utf8')) as { data: Record<string, unknown> };
      event.data['compartmentId'] = 'ocid1.vcn.oc1..aaaa';
      const withoutEnvelope = { ...event, extensions: {} };

      // Act
      const fallback = parseInvocation(JSON.stringify(event), {});
      const none = parseInvocation(JSON.stringify(withoutEnvelope), {});

      // Assess
      expect(expectKind(fallback, 'launch').compartmentId).toBe(COMPARTMENT_ID);
      const launch = expectKind(none, 'launch');
      expect(launch.compartmentId).toBeUndefined();
      expect(Object.hasOwn(launch, 'compartmentId')).toBe(false);
    });

    it('gives a launch or ignored result for every OCI and CloudEvents fixture', () => {
      // Prepare
      const fixtures = [...listEventFixtures('oci'), ...listEventFixtures('cloudevents')];

      // Act
      const kinds = fixtures.map((fixture) => [fixture, parseFixture(fixture).kind]);

      // Assess
      expect(fixtures.length).toBeGreaterThanOrEqual(9);
      expect(kinds).toEqual(fixtures.map((fixture) => [fixture, expect.stringMatching(/^(launch|ignored)$/)]));
    });
  });

  describe('event types other than launchinstance.end', () => {
    it('ignores an OCI terminateinstance.end event, naming its type', () => {
      // Prepare
      const body = loadEventFixture('oci/terminateinstance-end.json');

      // Act
      const result = parseInvocation(body, {});

      // Assess
      expect(expectKind(result, 'ignored')).toEqual({
        kind: 'ignored',
        eventId: '8e1a4c7b-3d2f-4b6e-9f08-1c5d7a3e9b24',
        eventType: TERMINATE_EVENT_TYPE,
        reason: `event type "${TERMINATE_EVENT_TYPE}" is not ${LAUNCH_EVENT_TYPE}`,
      });
    });

    it('ignores a structured CloudEvent of another type', () => {
      // Prepare
      const body = loadEventFixture('cloudevents/structured-terminate.json');

      // Act
      const result = parseInvocation(body, { 'Content-Type': ['application/cloudevents+json'] });

      // Assess
      const ignored = expectKind(result, 'ignored');
      expect(ignored).toMatchObject({ eventId: '1f8b3e6c-9a2d-4c7e-b5f1-6e0d3a9c2b78', eventType: TERMINATE_EVENT_TYPE });
      expect(ignored.reason).toContain(TERMINATE_EVENT_TYPE);
    });

    it('ignores an event of another type before looking at its data', () => {
      // Prepare
      const event = JSON.parse(loadEventFixture('oci/terminateinstance-end.json').toString('utf8')) as Record<string, unknown>;
      delete event['data'];

      // Act
      const result = parseInvocation(JSON.stringify(event), {});

      // Assess
      expect(expectKind(result, 'ignored').eventType).toBe(TERMINATE_EVENT_TYPE);
    });

    it('ignores a binary-mode event of another type even when its body is empty', () => {
      // Prepare: an empty body only matters to a launch event, which needs data.resourceId.
      const headers = { ...loadEventFixtureHeaders('cloudevents/binary-launch.json'), 'Ce-Type': [TERMINATE_EVENT_TYPE] };

      // Act
      const result = parseInvocation(Buffer.alloc(0), headers);

      // Assess
      expect(expectKind(result, 'ignored')).toMatchObject({
        eventId: '7d2a9e4c-5f1b-4e3a-a8c6-2b9f0d7e1c53',
        eventType: TERMINATE_EVENT_TYPE,
      });
    });

    it('matches the launch type exactly, not by prefix or case', () => {
      // Prepare
      const variants = [`${LAUNCH_EVENT_TYPE}.extra`, LAUNCH_EVENT_TYPE.toUpperCase(), ` ${LAUNCH_EVENT_TYPE}`];
      const template = JSON.parse(loadEventFixture('oci/launchinstance-end.json').toString('utf8')) as Record<string, unknown>;

      // Act
      const results = variants.map((eventType) => parseInvocation(JSON.stringify({ ...template, eventType }), {}));

      // Assess
      results.forEach((result, index) => expect(expectKind(result, 'ignored').eventType).toBe(variants[index]));
    });
  });

  describe('reconcile requests', () => {
    it('reads a minimal reconcile request with apply and prune defaulting to false', () => {
      // Prepare
      const body = loadEventFixture('reconcile/minimal.json');

      // Act
      const result = parseInvocation(body, {});

      // Assess
      expect(expectKind(result, 'reconcile')).toEqual({ kind: 'reconcile', compartmentIds: [COMPARTMENT_ID], apply: false, prune: false });
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
  });

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
