/**
 * The services behind the commands, one handler per command, over a state
 * file: tag namespaces and keys, dynamic groups (classic and in identity
 * domains), policies, Events rules, Resource Scheduler schedules and
 * functions (seeded by the test, as `fn deploy` would have created them),
 * each with its lifecycle state.
 *
 * The stand-in has no clock: a dynamic group created without
 * `--wait-for-state ACTIVE` stays CREATING, and a policy naming a group that
 * is not ACTIVE is refused, as OCI refuses statements naming a group it
 * cannot resolve yet.
 */
const { ServiceError, notFound, invalid, newId, add, requireOcid, live, listed } = require('./resources.cjs');
const { SCHEDULER_HANDLERS } = require('./scheduler-services.cjs');

/** A list matcher: the compartment of --compartment-id and, when given, the exact name of `nameFlag`. */
function inCompartmentNamed(o, nameFlag, nameKey) {
  return (item) => item['compartment-id'] === o.get('--compartment-id') && (!o.has(nameFlag) || item[nameKey] === o.get(nameFlag));
}

/** The state a created resource is in: what --wait-for-state asked for (ACTIVE), or CREATING. */
function createdState(options) {
  return (options.get('--wait-for-state') ?? []).includes('ACTIVE') ? 'ACTIVE' : 'CREATING';
}

function checkMatchingRule(rule) {
  if (!/^\s*(any|all)\s*\{.*\}\s*$/is.test(rule)) throw invalid(`matching rule ${JSON.stringify(rule)} must start with Any {…} or All {…}`);
}

/** Refuses statements naming a dynamic group that does not exist or is not ACTIVE yet. */
function checkStatementSubjects(state, statements) {
  for (const statement of statements) {
    const match = /^Allow\s+dynamic-group\s+(?:'([^']+)'\/'([^']+)'|([A-Za-z0-9_.-]+))\s/i.exec(statement);
    if (match === null) continue;
    const domain = match[1];
    const name = match[2] ?? match[3];
    const classic = domain === undefined || domain.toLowerCase() === 'default';
    const group = classic
      ? state.dynamicGroups.find((item) => item.name.toLowerCase() === name.toLowerCase() && item['lifecycle-state'] !== 'DELETED')
      : state.domainGroups.find((item) => item.domain === domain && item['display-name'] === name);
    if (group === undefined) throw invalid(`statement ${JSON.stringify(statement)} names dynamic group ${name}, which does not exist`);
    if (classic && group['lifecycle-state'] !== 'ACTIVE')
      throw invalid(`statement ${JSON.stringify(statement)} names dynamic group ${name}, which is ${group['lifecycle-state']}`);
  }
}

function uniqueName(items, name, what) {
  if (items.some((item) => item.name.toLowerCase() === name.toLowerCase() && item['lifecycle-state'] !== 'DELETED'))
    throw new ServiceError(409, 'NameAlreadyExists', `a ${what} named ${name} already exists`);
}

/** The domain a call is for, from --endpoint (the stand-in keys identity domains by URL). */
function domainOf(state, options) {
  const url = options.get('--endpoint');
  const domain = (state.domains ?? {})[url];
  if (domain === undefined) throw notFound(`identity domain at ${url}`);
  return domain;
}

/** The detached timeouts OCI Functions accepts (Oracle's Functions limits: 5-3600 s). */
const HANDLERS = {
  ...SCHEDULER_HANDLERS,
  'iam tag-namespace list': (state, o) => listed(state.tagNamespaces, o, (item) => item['compartment-id'] === o.get('--compartment-id')),
  'iam tag-namespace create': (state, o) => {
    requireOcid('--compartment-id', o.get('--compartment-id'));
    uniqueName(state.tagNamespaces, o.get('--name'), 'tag namespace');
    return add(state, 'tagNamespaces', 'tagnamespace', {
      'compartment-id': o.get('--compartment-id'),
      name: o.get('--name'),
      description: o.get('--description'),
      'lifecycle-state': 'ACTIVE',
    });
  },
  'iam tag-namespace reactivate': (state, o) => {
    const item = live(state.tagNamespaces, o.get('--tag-namespace-id'), 'tag namespace');
    item['is-retired'] = false;
    return item;
  },
  'iam tag get': (state, o) => {
    const found = state.tags.find((item) => item['tag-namespace-id'] === o.get('--tag-namespace-id') && item.name === o.get('--tag-name'));
    if (found === undefined) throw notFound(`tag ${o.get('--tag-name')}`);
    return found;
  },
  'iam tag create': (state, o) => {
    live(state.tagNamespaces, o.get('--tag-namespace-id'), 'tag namespace');
    uniqueName(
      state.tags.filter((item) => item['tag-namespace-id'] === o.get('--tag-namespace-id')),
      o.get('--name'),
      'tag',
    );
    return add(state, 'tags', 'tagdefinition', {
      'tag-namespace-id': o.get('--tag-namespace-id'),
      name: o.get('--name'),
      description: o.get('--description'),
      'lifecycle-state': 'ACTIVE',
    });
  },
  'iam tag reactivate': (state, o) => {
    const found = state.tags.find((item) => item['tag-namespace-id'] === o.get('--tag-namespace-id') && item.name === o.get('--tag-name'));
    if (found === undefined) throw notFound(`tag ${o.get('--tag-name')}`);
    found['is-retired'] = false;
    return found;
  },
  'iam dynamic-group list': (state, o) => listed(state.dynamicGroups, o, inCompartmentNamed(o, '--name', 'name')),
  'iam dynamic-group create': (state, o) => {
    requireOcid('--compartment-id', o.get('--compartment-id'));
    checkMatchingRule(o.get('--matching-rule'));
    uniqueName(state.dynamicGroups, o.get('--name'), 'dynamic group');
    return add(state, 'dynamicGroups', 'dynamicgroup', {
      'compartment-id': o.get('--compartment-id'),
      name: o.get('--name'),
      description: o.get('--description'),
      'matching-rule': o.get('--matching-rule'),
      'lifecycle-state': createdState(o),
    });
  },
  'iam dynamic-group update': (state, o) => {
    const item = live(state.dynamicGroups, o.get('--dynamic-group-id'), 'dynamic group');
    if (o.has('--matching-rule')) checkMatchingRule(o.get('--matching-rule'));
    if (o.has('--matching-rule')) item['matching-rule'] = o.get('--matching-rule');
    if (o.has('--description')) item.description = o.get('--description');
    return item;
  },
  'iam policy list': (state, o) => listed(state.policies, o, inCompartmentNamed(o, '--name', 'name')),
  'iam policy create': (state, o) => {
    requireOcid('--compartment-id', o.get('--compartment-id'));
    uniqueName(state.policies, o.get('--name'), 'policy');
    checkStatementSubjects(state, o.get('--statements'));
    return add(state, 'policies', 'policy', {
      'compartment-id': o.get('--compartment-id'),
      name: o.get('--name'),
      description: o.get('--description'),
      statements: o.get('--statements'),
      'version-date': o.get('--version-date') || null,
      'lifecycle-state': 'ACTIVE',
    });
  },
  'iam policy update': (state, o) => {
    const item = live(state.policies, o.get('--policy-id'), 'policy');
    if (o.has('--statements')) checkStatementSubjects(state, o.get('--statements'));
    if (o.has('--statements')) item.statements = o.get('--statements');
    if (o.get('--version-date')) item['version-date'] = o.get('--version-date');
    if (o.has('--description')) item.description = o.get('--description');
    return item;
  },
  'events rule list': (state, o) => listed(state.rules, o, inCompartmentNamed(o, '--display-name', 'display-name')),
  'events rule create': (state, o) => {
    requireOcid('--compartment-id', o.get('--compartment-id'));
    const condition = parseCondition(o.get('--condition'));
    return add(state, 'rules', 'eventrule', {
      'compartment-id': o.get('--compartment-id'),
      'display-name': o.get('--display-name'),
      description: o.get('--description') ?? null,
      'is-enabled': o.get('--is-enabled'),
      condition,
      actions: o.get('--actions'),
      'lifecycle-state': 'ACTIVE',
    });
  },
  'events rule update': (state, o) => {
    const item = live(state.rules, o.get('--rule-id'), 'events rule');
    if (item['lifecycle-state'] !== 'ACTIVE')
      throw new ServiceError(409, 'IncorrectState', `events rule ${item.id} is ${item['lifecycle-state']}`);
    if (o.has('--condition')) item.condition = parseCondition(o.get('--condition'));
    for (const [flag, key] of [
      ['--description', 'description'],
      ['--is-enabled', 'is-enabled'],
      ['--actions', 'actions'],
      ['--display-name', 'display-name'],
    ])
      if (o.has(flag)) item[key] = o.get(flag);
    return item;
  },
  'identity-domains dynamic-resource-groups list': (state, o) => {
    const domain = domainOf(state, o);
    const filter = /^displayName eq "([^"]*)"$/.exec(o.get('--filter') ?? '');
    if (o.has('--filter') && filter === null)
      throw invalid(`the strict stand-in understands only displayName eq "…" filters, not ${o.get('--filter')}`);
    const resources = state.domainGroups.filter(
      (item) => item.domain === domain && (filter === null || item['display-name'] === filter[1]),
    );
    return { resources, 'total-results': resources.length };
  },
  'identity-domains dynamic-resource-group create': (state, o) => {
    const domain = domainOf(state, o);
    checkMatchingRule(o.get('--matching-rule'));
    if (!o.get('--schemas').includes('urn:ietf:params:scim:schemas:oracle:idcs:DynamicResourceGroup'))
      throw invalid('--schemas must name the DynamicResourceGroup schema');
    if (state.domainGroups.some((item) => item.domain === domain && item['display-name'] === o.get('--display-name')))
      throw new ServiceError(409, 'Conflict', `a dynamic resource group named ${o.get('--display-name')} already exists`);
    const item = {
      id: newId(state, 'scim').slice(-12),
      ocid: newId(state, 'dynamicgroup'),
      domain,
      'display-name': o.get('--display-name'),
      description: o.get('--description') ?? null,
      'matching-rule': o.get('--matching-rule'),
    };
    state.domainGroups.push(item);
    return item;
  },
  'identity-domains dynamic-resource-group patch': (state, o) => {
    const domain = domainOf(state, o);
    const item = state.domainGroups.find((group) => group.domain === domain && group.id === o.get('--dynamic-resource-group-id'));
    if (item === undefined) throw notFound(`dynamic resource group ${o.get('--dynamic-resource-group-id')}`);
    if (!o.get('--schemas').includes('urn:ietf:params:scim:api:messages:2.0:PatchOp'))
      throw invalid('--schemas must name the PatchOp schema');
    const attributes = { matchingRule: 'matching-rule', description: 'description', displayName: 'display-name' };
    for (const operation of o.get('--operations')) {
      const key = attributes[operation.path];
      if (operation.op !== 'replace' || key === undefined)
        throw invalid(`the strict stand-in supports only replace of ${Object.keys(attributes).join(', ')}`);
      if (key === 'matching-rule') checkMatchingRule(operation.value);
      item[key] = operation.value;
    }
    return item;
  },
};

function parseCondition(text) {
  try {
    return JSON.parse(text);
  } catch {
    throw invalid(`condition ${JSON.stringify(text)} is not JSON`);
  }
}

/** An empty state; `domains` maps identity domain URLs to names. */
function emptyState(domains = {}) {
  return {
    next: 0,
    domains,
    tagNamespaces: [],
    tags: [],
    dynamicGroups: [],
    domainGroups: [],
    policies: [],
    rules: [],
    schedules: [],
    functions: [],
  };
}

module.exports = { HANDLERS, ServiceError, emptyState };
