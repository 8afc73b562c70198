/**
 * The recorded and hand-made events the parser accepts: the OCI envelope,
 * structured and binary CloudEvents, and the body encodings they arrive in.
 */
import { CloudEvent } from 'cloudevents';
import { LAUNCH_EVENT_TYPE, parseInvocation, type InvocationHeaders } from '../../src/event';
import {
  COMPARTMENT_ID,
  expectKind,
  INSTANCE_ID,
  listEventFixtures,
  loadEventFixture,
  loadEventFixtureHeaders,
  parseFixture,
  TENANCY_ID,
} from '../helpers/events';

/** The FDK's header form turned into lower-case names with plain string values. */
function toLowerCasePlainHeaders(headers: InvocationHeaders): InvocationHeaders {
  const plain: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') plain[name.toLowerCase()] = first;
  }
  return plain;
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
});
