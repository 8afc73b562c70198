import { resourceTypeCovers } from '../../src/iam/policy-statement-families';
import { checksAfter, editStatements, result } from '../helpers/doctor-world';

describe('families known not to hold tag-namespaces', () => {
  it.each(['object-family', 'virtual-network-family', 'database-family', 'volume-family', 'OBJECT-FAMILY'])(
    '%s does not cover tag-namespaces',
    (family) => {
      const covers = resourceTypeCovers(family, 'tag-namespaces');

      expect(covers).toBe(false);
    },
  );

  it('keeps a family it does not know unknown', () => {
    const covers = resourceTypeCovers('frobnicator-family', 'tag-namespaces');

    expect(covers).toBe('unknown');
  });

  it('keeps all-resources covering tag-namespaces', () => {
    expect(resourceTypeCovers('all-resources', 'tag-namespaces')).toBe(true);
  });

  it('lets doctor answer ok for manage object-family granted to another group', async () => {
    const checks = await checksAfter((world) =>
      editStatements(world, 'Tenant Admin Policy', (statements) => [
        ...statements,
        'Allow group Storage to manage object-family in tenancy',
      ]),
    );

    expect(result(checks, 'who-can-tag.policies').status).toBe('ok');
  });
});
