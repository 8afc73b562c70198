locals {
  name = "${var.name_prefix}-nodepool-tagger"

  # The event types of src/event/event-types.ts (INSTANCE_EVENT_TYPES, NODE_POOL_EVENT_TYPES);
  # test/unit/terraform-module.test.ts keeps the two in step.
  instance_event_types = [
    "com.oraclecloud.computeapi.launchinstance.end",
    "com.oraclecloud.computeapi.updateinstance",
  ]
  node_pool_event_types = [
    "com.oraclecloud.clustersapi.updatenodepool.end",
    "com.oraclecloud.clustersapi.updatecluster.end",
  ]

  # One rule per compartment: instance events where instances live, node-pool
  # events where pools live, one combined rule where a compartment holds both.
  events_rules = {
    for id in sort(distinct(concat(var.instance_compartment_ids, var.pool_compartment_ids))) : id => concat(
      contains(var.instance_compartment_ids, id) ? local.instance_event_types : [],
      contains(var.pool_compartment_ids, id) ? local.node_pool_event_types : [],
    )
  }
  events_rule_budget = var.events_rule_limit - var.existing_events_rules

  # read cluster-family where the pools are and where a scan may look (compartment_id).
  cluster_compartment_ids = sort(distinct(concat(var.pool_compartment_ids, var.search_compartment_ids)))
  tag_namespace_location  = var.tag_namespace_compartment_id == null ? "tenancy" : "compartment id ${var.tag_namespace_compartment_id}"

  # The reconcile request of src/event/reconcile-request.ts: apply fixes and prune impostors.
  reconcile_body = {
    action                 = "reconcile"
    poolCompartmentIds     = var.pool_compartment_ids
    instanceCompartmentIds = var.instance_compartment_ids
    apply                  = true
    prune                  = true
  }

  # The function's config keys (README "Configuration"); unset ones are left out.
  function_config = {
    for key, value in {
      tag_namespace            = var.tag_namespace
      tag_name                 = var.tag_name
      cluster_tag_name         = var.cluster_tag_name
      compartment_id           = length(var.search_compartment_ids) > 0 ? join(",", var.search_compartment_ids) : null
      timeout_seconds          = tostring(var.config_timeout_seconds)
      dry_run                  = tostring(var.dry_run)
      membership_wait_seconds  = tostring(var.membership_wait_seconds)
      membership_grace_minutes = tostring(var.membership_grace_minutes)
      impostor_action          = var.impostor_action
      log_level                = var.log_level
      allow_reconcile          = tostring(var.allow_reconcile)
      containerengine_endpoint = var.containerengine_endpoint
      compute_endpoint         = var.compute_endpoint
    } : key => value if value != null
  }
}
