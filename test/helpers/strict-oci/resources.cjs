/**
 * What every service of the strict stand-in shares: the service error the
 * CLI prints, new OCIDs, and finding, listing and adding resources of the
 * state file by lifecycle state.
 */
class ServiceError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const notFound = (what) => new ServiceError(404, 'NotAuthorizedOrNotFound', `${what} not found or not authorized`);
const invalid = (message) => new ServiceError(400, 'InvalidParameter', message);

function newId(state, kind) {
  state.next = (state.next ?? 0) + 1;
  return `ocid1.${kind}.oc1..strict${String(state.next).padStart(6, '0')}`;
}

/** Adds a resource of `kind` with a new OCID to `state[collection]` and returns it. */
function add(state, collection, kind, fields) {
  const item = { id: newId(state, kind), ...fields };
  state[collection].push(item);
  return item;
}

function requireOcid(flag, value) {
  if (!/^ocid1\.[a-z0-9]+\.[a-z0-9-]*\.[a-z0-9-]*\.[A-Za-z0-9._-]+$/.test(value))
    throw invalid(`${flag} ${JSON.stringify(value)} is not an OCID`);
}

function live(items, id, what) {
  const item = items.find((candidate) => candidate.id === id);
  if (item === undefined || item['lifecycle-state'] === 'DELETED') throw notFound(`${what} ${id}`);
  return item;
}

function listed(items, options, match) {
  const state = options.get('--lifecycle-state');
  return items.filter((item) => match(item) && (state === undefined || item['lifecycle-state'] === state));
}

module.exports = { ServiceError, notFound, invalid, newId, add, requireOcid, live, listed };
