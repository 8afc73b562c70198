/** Well-formed events of another type than launchinstance.end, which the parser ignores. */
import {
  LAUNCH_EVENT_TYPE,
  parseInvocation,
  TERMINATE_EVENT_TYPE,
  UPDATE_CLUSTER_EVENT_TYPE,
  UPDATE_INSTANCE_EVENT_TYPE,
  UPDATE_NODE_POOL_EVENT_TYPE,
} from '../../src/event';
import { expectKind, loadEventFixture, loadEventFixtureHeaders } from '../helpers/events';

describe('parseInvocation', () => {
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
        reason: `event type "${TERMINATE_EVENT_TYPE}" is not one the function acts on`,
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

  describe('the other event types the function acts on', () => {
    const template = () => JSON.parse(loadEventFixture('oci/launchinstance-end.json').toString('utf8')) as Record<string, unknown>;
    const withType = (eventType: string, resourceId: string) => {
      const event = template();
      return JSON.stringify({ ...event, eventType, data: { ...(event['data'] as object), resourceId } });
    };
    const pool = 'ocid1.nodepool.oc1.iad.aaaaaaaaexamplepoolapps00000000000000000000000000000000';
    const cluster = 'ocid1.cluster.oc1.iad.aaaaaaaaexamplecluster000000000000000000000000000000000';
    const instance = 'ocid1.instance.oc1.iad.anuwcljtexampleinstance00000000000000000000000000000000';

    it.each([
      [UPDATE_INSTANCE_EVENT_TYPE, instance, 'instance-updated', 'instanceId'],
      [UPDATE_NODE_POOL_EVENT_TYPE, pool, 'pool-updated', 'nodePoolId'],
      [UPDATE_CLUSTER_EVENT_TYPE, cluster, 'cluster-updated', 'clusterId'],
    ])('classifies %s by the OCID it names', (eventType, resourceId, kind, field) => {
      // Act
      const result = parseInvocation(withType(eventType, resourceId), {});
      // Assess
      expect(result).toMatchObject({ kind, eventType, [field]: resourceId });
    });

    it('rejects an event whose resourceId is an OCID of another resource than its type names', () => {
      // Act
      const result = parseInvocation(withType(UPDATE_NODE_POOL_EVENT_TYPE, instance), {});
      // Assess
      expect(result).toMatchObject({ kind: 'rejected', reason: 'data.resourceId is an OCID of type "instance", not a node pool OCID' });
    });
  });
});
