/**
 * The `oci events rule …` commands doctor prints to mend an Events check:
 * re-enabling a rule (or its action for the function), and creating the
 * rule `iam` would create. Each is one whole command (oci-cli 3.89.3,
 * events_cli.py), checked by test/unit/doctor-fixes.test.ts.
 */
import type { EventRuleInfo } from './access-model';
import { shellCommand } from './quote';

/**
 * The command that makes a rule that targets the function deliver again:
 * `--is-enabled true` for a disabled rule and, when its action for the
 * function is disabled, `--actions` with that action enabled. `--actions`
 * replaces every action and makes the CLI prompt unless `--force` is given
 * (events_cli.py, update_rule), so it is printed only when every action is
 * a FAAS action, the one kind whose fields doctor reads in full.
 */
export function enableFix(rule: EventRuleInfo, functionId: string): string {
  const actions = rule.actions ?? [];
  const ours = actions.find((action) => action.actionType === 'FAAS' && action.functionId === functionId);
  const actionDisabled = ours?.isEnabled === false;
  const words = ['oci', 'events', 'rule', 'update', '--rule-id', rule.id];
  // A rule that is enabled with its action enabled but not ACTIVE is re-enabled too.
  if (!rule.isEnabled || !actionDisabled) words.push('--is-enabled', 'true');
  if (actionDisabled) {
    if (!actions.every((action) => action.actionType === 'FAAS' && action.functionId !== undefined))
      return `enable the action of rule ${rule.displayName} that invokes the function (its other actions have fields doctor does not read, so edit the actions by hand)`;
    const enabled = actions.map((action) => ({
      actionType: 'FAAS',
      functionId: action.functionId,
      isEnabled: action === ours ? true : action.isEnabled,
    }));
    words.push('--actions', JSON.stringify({ actions: enabled }), '--force');
  }
  return shellCommand(words);
}

/** The command that creates a rule sending `types` of `compartmentId` (and its children) to the function, filtered as `iam` filters them. */
export function createRuleFix(compartmentId: string, types: readonly string[], functionId: string): string {
  const condition = JSON.stringify({ eventType: types, data: { compartmentId: [compartmentId] } });
  return shellCommand([
    'oci',
    'events',
    'rule',
    'create',
    '--compartment-id',
    compartmentId,
    '--display-name',
    'oke-nodepool-tagger-launch',
    '--is-enabled',
    'true',
    '--condition',
    condition,
    '--actions',
    JSON.stringify({ actions: [{ actionType: 'FAAS', functionId, isEnabled: true }] }),
  ]);
}
