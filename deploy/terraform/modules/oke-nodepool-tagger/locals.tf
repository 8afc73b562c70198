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

  # Resource Manager may send "" for an optional field the operator cleared: it means unset.
  tag_namespace_compartment_id = var.tag_namespace_compartment_id == "" ? null : var.tag_namespace_compartment_id
  reconcile_schedule_cron      = var.reconcile_schedule_cron == "" ? null : var.reconcile_schedule_cron
  alarm_email                  = var.alarm_email == "" ? null : var.alarm_email

  # read cluster-family where the pools are and where a scan may look (compartment_id).
  cluster_compartment_ids  = sort(distinct(concat(var.pool_compartment_ids, var.search_compartment_ids)))
  instance_compartment_ids = distinct(var.instance_compartment_ids)
  tag_namespace_location   = local.tag_namespace_compartment_id == null ? "tenancy" : "compartment id ${local.tag_namespace_compartment_id}"

  # The function's least-privilege statements (iam.tf): 1 per cluster
  # compartment, 2 per instance compartment, 1 for the tag namespace, in
  # policies of at most 50 statements (OCI's limit per policy).
  function_group_name = "${local.name}-fn"
  function_policy_statements = concat(
    [for id in local.cluster_compartment_ids : "Allow dynamic-group ${local.function_group_name} to read cluster-family in compartment id ${id}"],
    [for id in local.instance_compartment_ids : "Allow dynamic-group ${local.function_group_name} to read instances in compartment id ${id}"],
    [for id in local.instance_compartment_ids : "Allow dynamic-group ${local.function_group_name} to use instances in compartment id ${id} where request.permission = 'INSTANCE_UPDATE'"],
    ["Allow dynamic-group ${local.function_group_name} to use tag-namespaces in ${local.tag_namespace_location} where target.tag-namespace.name = '${var.tag_namespace}'"],
  )
  function_policy_chunks = chunklist(local.function_policy_statements, 50)

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
