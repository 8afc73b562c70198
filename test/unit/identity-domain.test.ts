import { DEFAULT_DOMAIN, isDefaultDomain, sameDomain } from '../../src/iam/identity-domain';

describe('identity domain names', () => {
  it('spells the Default domain as OCI does', () => {
    // Prepare, Act, Assess: the spelling is what policies and the console show.
    expect(DEFAULT_DOMAIN).toBe('Default');
  });

  it.each([
    [undefined, true],
    ['Default', true],
    ['DEFAULT', true],
    ['default', true],
    ['Prod', false],
  ] as const)('takes %j for the Default domain: %j', (domain, expected) => {
    // Prepare: a domain name as a statement or a group carries it. Act:
    const result = isDefaultDomain(domain);
    // Assess
    expect(result).toBe(expected);
  });

  it.each([
    [undefined, 'default', true],
    ['Prod', 'prod', true],
    ['Prod', undefined, false],
    ['Prod', 'Stage', false],
  ] as const)('compares %j and %j: %j', (a, b, expected) => {
    // Prepare: two domain names, undefined for none written. Act:
    const result = sameDomain(a, b);
    // Assess
    expect(result).toBe(expected);
  });
});
