'use strict';
/**
 * Benchmark baseline, not part of the product: the "scan every pool"
 * algorithm of the public Go sample (oracle-devrel/go-oke-isv-fn-nodepool-tagger,
 * function/func.go), written plainly in JavaScript with the same OCI SDK and
 * FDK as the product, unbundled (plain require from node_modules).
 *
 * Per event: ListNodePools in the configured compartment (following every
 * page, which the Go sample does not), GetNodePool for every pool in turn
 * (the Go sample does not stop at a match either), then GetInstance and an
 * UpdateInstance that merges the pool tag into the instance's defined tags.
 *
 * Differences from the Go sample, all in the baseline's favour or neutral:
 * - the SDK clients and the resource principal provider are built once per
 *   process (the Go sample builds them on every call);
 * - it reads the instance and merges tags instead of overwriting them;
 * - events of another type are ignored without any API call.
 *
 * SDK retries: the SDK defaults (BASELINE_RETRIES=default, the plain choice:
 * 8 attempts with exponential back-off for the Container Engine reads, none
 * for GetInstance/UpdateInstance, circuit breaker on for Container Engine),
 * or none at all with BASELINE_RETRIES=none.
 * BASELINE_EARLY_EXIT=true stops the scan at the first pool listing the node
 * (a kinder baseline, used only for the "random pool" row).
 */
const fdk = require('@fnproject/fdk');
const common = require('oci-common');
const { ContainerEngineClient } = require('oci-containerengine');
const { ComputeClient } = require('oci-core');

const LAUNCH_END = 'com.oraclecloud.computeapi.launchinstance.end';
let clients;

function getClients() {
  if (clients) return clients;
  const provider = common.ResourcePrincipalAuthenticationDetailsProvider.builder();
  const configuration = process.env.BASELINE_RETRIES === 'none' ? { retryConfiguration: common.NoRetryConfigurationDetails } : undefined;
  const compute = new ComputeClient({ authenticationDetailsProvider: provider }, configuration);
  const containerEngine = new ContainerEngineClient({ authenticationDetailsProvider: provider }, configuration);
  // The endpoint is set last: setting a region afterwards would overwrite it.
  if (process.env.compute_endpoint) compute.endpoint = process.env.compute_endpoint;
  if (process.env.containerengine_endpoint) containerEngine.endpoint = process.env.containerengine_endpoint;
  clients = { compute, containerEngine };
  return clients;
}

async function handler(input) {
  const event = input && typeof input === 'object' ? input : {};
  if (event.eventType !== LAUNCH_END) return { outcome: 'ignored', eventType: event.eventType ?? null };
  const instanceId = event.data && event.data.resourceId;
  const compartmentId = process.env.compartment_id;
  const tagNamespace = process.env.tag_namespace;
  const tagName = process.env.tag_name;
  if (!instanceId || !compartmentId || !tagNamespace || !tagName) {
    throw new Error('tag_namespace, tag_name and compartment_id must be configured, and the event must name a resourceId');
  }
  const { compute, containerEngine } = getClients();
  const earlyExit = process.env.BASELINE_EARLY_EXIT === 'true';

  let apiCalls = 0;
  const pools = [];
  let page;
  for (let pages = 0; pages < 1000; pages += 1) {
    const response = await containerEngine.listNodePools({ compartmentId, page });
    apiCalls += 1;
    pools.push(...response.items);
    page = response.opcNextPage;
    if (!page) break;
  }

  let match;
  for (const summary of pools) {
    const { nodePool } = await containerEngine.getNodePool({ nodePoolId: summary.id });
    apiCalls += 1;
    if (!match && (nodePool.nodes || []).some((node) => node.id === instanceId)) {
      match = nodePool;
      if (earlyExit) break;
    }
  }
  if (!match) return { outcome: 'not-in-node-pool', instanceId, apiCalls, scannedPools: pools.length };

  const { instance, etag } = await compute.getInstance({ instanceId });
  const definedTags = { ...(instance.definedTags || {}) };
  definedTags[tagNamespace] = { ...(definedTags[tagNamespace] || {}), [tagName]: match.name };
  await compute.updateInstance({ instanceId, updateInstanceDetails: { definedTags }, ifMatch: etag });
  apiCalls += 2;
  return { outcome: 'tagged', instanceId, nodePoolName: match.name, apiCalls, scannedPools: pools.length };
}

fdk.handle(handler, { inputMode: 'json' });
