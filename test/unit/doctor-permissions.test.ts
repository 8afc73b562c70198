import { doctorExitCode } from '../../src/iam/doctor-model';
import { checksAfter, editStatements, FN_GROUP, NAMESPACE, result, WORKERS } from '../helpers/doctor-world';

const FN_POLICY = 'oke-nodepool-tagger-fn';
const EVENTS_POLICY = 'oke-nodepool-tagger-events';
const FN = `dynamic-group ${FN_GROUP}`;

/** The healthy world with the function's `read instances` statement (index 1) replaced. */
const withReadInstances = (statement: string) =>
  checksAfter((world) =>
    editStatements(world, FN_POLICY, (statements) => statements.map((text, index) => (index === 1 ? statement : text))),
  );

describe("doctor: the function's rights, permission by permission", () => {
  it.each([
    ['a list of another service’s permissions', `Allow ${FN} to {OBJECT_READ, OBJECT_INSPECT} in compartment id ${WORKERS}`],
    [
      'a list of instance permissions without INSTANCE_READ',
      `Allow ${FN} to {INSTANCE_INSPECT, INSTANCE_UPDATE} in compartment id ${WORKERS}`,
    ],
    [
      'a condition that excludes INSTANCE_READ',
      `Allow ${FN} to read instances in compartment id ${WORKERS} where request.permission != 'INSTANCE_READ'`,
    ],
    ['a compartment path that names no compartment of the tree read', `Allow ${FN} to read instances in compartment nosuch`],
  ])('fails read instances granted by %s (GetInstance would be refused)', async (_what, statement) => {
    // Act
    const checks = await withReadInstances(statement);

    // Assess
    expect(result(checks, 'rights.2').status).toBe('fail');
    expect(doctorExitCode(checks)).toBe(3);
  });

  it('accepts read instances granted as exactly the two permissions the function uses', async () => {
    // Act
    const checks = await withReadInstances(`Allow ${FN} to {INSTANCE_INSPECT, INSTANCE_READ} in compartment id ${WORKERS}`);

    // Assess
    expect(result(checks, 'rights.2').status).toBe('ok');
  });

  it('accepts tagging granted as TAG_NAMESPACE_USE alone, which is all that setting a tag needs', async () => {
    // Act
    const checks = await checksAfter((world) =>
      editStatements(world, FN_POLICY, (statements) =>
        statements.map((text, index) =>
          index === 3
            ? `Allow ${FN} to use tag-namespaces in tenancy where all {target.tag-namespace.name = '${NAMESPACE}', request.permission = 'TAG_NAMESPACE_USE'}`
            : text,
        ),
      ),
    );

    // Assess
    expect(result(checks, 'rights.4').status).toBe('ok');
    expect(doctorExitCode(checks)).toBe(0);
  });

  it.each([
    [
      'a request.permission condition',
      "Allow service cloudEvents to use functions-family in compartment functions where request.permission = 'FN_INVOCATION'",
    ],
    ['a permission list', 'Allow service cloudEvents to {FN_INVOCATION} in compartment functions'],
  ])('is unknown, not a failure, about the Events policy narrowed by %s: what invoking needs is not known', async (_what, statement) => {
    // Act
    const checks = await checksAfter((world) => editStatements(world, EVENTS_POLICY, () => [statement]));

    // Assess
    expect(result(checks, 'events.policy').status).toBe('unknown');
    expect(doctorExitCode(checks)).toBe(1);
  });

  it('is unknown about the permissions, not failed, when the function’s group is known only by an OCID no domain read holds', async () => {
    // Prepare: the function's group lives in a domain that was not read; the policies name it by OCID.
    const prodGroup = 'ocid1.dynamicgroup.oc1..prodfunctiongroup';
    const checks = await checksAfter((world) => {
      world.dynamicGroups = world.dynamicGroups.filter((group) => group.name !== FN_GROUP);
      editStatements(world, FN_POLICY, (statements) => statements.map((text) => text.replace(FN, `dynamic-group id ${prodGroup}`)));
    });

    // Assess
    expect(result(checks, 'identity-domains')).toMatchObject({ status: 'warn', found: expect.stringContaining(prodGroup) });
    expect(result(checks, 'rights.group').status).toBe('unknown');
    expect(result(checks, 'rights.permissions').status).toBe('unknown');
    expect(doctorExitCode(checks)).toBe(1);
  });
});
