import fc from 'fast-check';
import { TagValueError } from '../../src/errors';
import type { DefinedTags } from '../../src/tagging/model';
import { decideTags, hasDesiredTags, MAX_TAG_VALUE_LENGTH, mergeDefinedTags, readTag, removeDefinedTags } from '../../src/tagging/tags';

const keys = { tagNamespace: 'oke-nodepool-tags', tagName: 'oke-nodepool-name' };

describe('decideTags', () => {
  it('sets the pool name under the configured key', () => {
    const desired = decideTags(keys, 'pool-a');

    expect(desired).toEqual({ namespace: 'oke-nodepool-tags', values: { 'oke-nodepool-name': 'pool-a' } });
  });

  it('adds the cluster name when a cluster key is configured', () => {
    const desired = decideTags({ ...keys, clusterTagName: 'oke-cluster-name' }, 'pool-a', 'prod');

    expect(desired.values).toEqual({ 'oke-nodepool-name': 'pool-a', 'oke-cluster-name': 'prod' });
  });

  it('refuses a pool name longer than OCI allows for a tag value', () => {
    const longName = 'p'.repeat(MAX_TAG_VALUE_LENGTH + 1);

    expect(() => decideTags(keys, longName)).toThrow(TagValueError);
    expect(() => decideTags(keys, longName)).toThrow(/257 characters long; OCI allows at most 256/);
  });

  it('accepts a pool name of exactly the maximum length', () => {
    expect(decideTags(keys, 'p'.repeat(MAX_TAG_VALUE_LENGTH)).values['oke-nodepool-name']).toHaveLength(256);
  });

  it('refuses to decide a cluster tag when the cluster name is unknown', () => {
    expect(() => decideTags({ ...keys, clusterTagName: 'oke-cluster-name' }, 'pool-a')).toThrow(/cluster name is unknown/);
  });

  it('returns a frozen value', () => {
    const desired = decideTags(keys, 'pool-a');

    expect(Object.isFrozen(desired)).toBe(true);
    expect(Object.isFrozen(desired.values)).toBe(true);
  });
});

describe('hasDesiredTags', () => {
  const desired = decideTags({ ...keys, clusterTagName: 'oke-cluster-name' }, 'pool-a', 'prod');

  it('is true only when every key carries exactly the desired value', () => {
    expect(hasDesiredTags({ 'oke-nodepool-tags': { 'oke-nodepool-name': 'pool-a', 'oke-cluster-name': 'prod' } }, desired)).toBe(true);
    expect(hasDesiredTags({ 'oke-nodepool-tags': { 'oke-nodepool-name': 'pool-a' } }, desired)).toBe(false);
    expect(hasDesiredTags({ 'oke-nodepool-tags': { 'oke-nodepool-name': 'pool-old', 'oke-cluster-name': 'prod' } }, desired)).toBe(false);
    expect(hasDesiredTags({}, desired)).toBe(false);
  });

  it('matches namespace and key names without regard to case, as OCI does', () => {
    expect(hasDesiredTags({ 'OKE-NodePool-Tags': { 'OKE-NODEPOOL-NAME': 'pool-a', 'oke-cluster-name': 'prod' } }, desired)).toBe(true);
  });

  it('compares values exactly, including case', () => {
    expect(hasDesiredTags({ 'oke-nodepool-tags': { 'oke-nodepool-name': 'POOL-A', 'oke-cluster-name': 'prod' } }, desired)).toBe(false);
  });
});

describe('mergeDefinedTags', () => {
  const desired = decideTags(keys, 'pool-a');

  it('keeps tags in other namespaces when it adds the pool tag', () => {
    const current: DefinedTags = {
      'Oracle-Tags': { CreatedBy: 'someone', CreatedOn: '2026-11-20T10:01:02.113Z' },
      finance: { costcenter: '42' },
    };

    const merged = mergeDefinedTags(current, desired);

    expect(merged).toEqual({ ...current, 'oke-nodepool-tags': { 'oke-nodepool-name': 'pool-a' } });
  });

  it('keeps other keys of our namespace and replaces a stale pool name', () => {
    const current: DefinedTags = { 'oke-nodepool-tags': { 'oke-nodepool-name': 'old-name', owner: 'team-x' } };

    expect(mergeDefinedTags(current, desired)).toEqual({ 'oke-nodepool-tags': { 'oke-nodepool-name': 'pool-a', owner: 'team-x' } });
  });

  it('writes into the existing spelling of the namespace and key', () => {
    const current: DefinedTags = { 'OKE-NodePool-Tags': { 'OKE-NodePool-Name': 'old' } };

    expect(mergeDefinedTags(current, desired)).toEqual({ 'OKE-NodePool-Tags': { 'OKE-NodePool-Name': 'pool-a' } });
  });

  it('does not modify its input', () => {
    const current: DefinedTags = { 'oke-nodepool-tags': { 'oke-nodepool-name': 'old' } };
    const copy = structuredClone(current);

    mergeDefinedTags(current, desired);

    expect(current).toEqual(copy);
  });

  it('treats a namespace called __proto__ as data, never as the prototype', () => {
    const current = JSON.parse('{"__proto__": {"x": "1"}}') as DefinedTags;

    const merged = mergeDefinedTags(current, decideTags({ tagNamespace: '__proto__', tagName: 'k' }, 'v'));

    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(merged, '__proto__')?.value).toEqual({ x: '1', k: 'v' });
    expect(({} as Record<string, unknown>).k).toBeUndefined();
  });

  const tagName = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/);
  const tagValue = fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean());
  const definedTags = fc.dictionary(tagName, fc.dictionary(tagName, tagValue, { maxKeys: 4 }), { maxKeys: 5 });

  it('never changes anything outside our keys (property)', () => {
    fc.assert(
      fc.property(definedTags, tagName, tagName, fc.string({ minLength: 1, maxLength: 50 }), (current, namespace, key, poolName) => {
        const wanted = decideTags({ tagNamespace: namespace, tagName: key }, poolName);

        const merged = mergeDefinedTags(current, wanted);

        expect(readTag(merged, namespace, key)).toBe(poolName);
        for (const [ns, values] of Object.entries(current)) {
          for (const [k, v] of Object.entries(values)) {
            const ours = ns.toLowerCase() === namespace.toLowerCase() && k.toLowerCase() === key.toLowerCase();
            if (!ours) expect(merged[ns]?.[k]).toEqual(v);
          }
        }
        const keyCount = (tags: DefinedTags) => Object.values(tags).reduce((sum, values) => sum + Object.keys(values).length, 0);
        expect(keyCount(merged) - keyCount(current)).toBeLessThanOrEqual(1);
        expect(hasDesiredTags(merged, wanted)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('removeDefinedTags', () => {
  it('removes only our keys and keeps every other tag', () => {
    const current: DefinedTags = { 'oke-nodepool-tags': { 'oke-nodepool-name': 'pool-a', owner: 'x' }, other: { a: '1' } };

    expect(removeDefinedTags(current, 'oke-nodepool-tags', ['oke-nodepool-name'])).toEqual({
      'oke-nodepool-tags': { owner: 'x' },
      other: { a: '1' },
    });
  });

  it('drops our namespace when no key is left in it', () => {
    expect(
      removeDefinedTags({ 'oke-nodepool-tags': { 'oke-nodepool-name': 'pool-a' }, other: { a: '1' } }, 'oke-nodepool-tags', [
        'oke-nodepool-name',
      ]),
    ).toEqual({
      other: { a: '1' },
    });
  });
});
