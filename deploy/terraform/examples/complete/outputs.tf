output "function_id" {
  description = "OCID of the function."
  value       = module.oke_nodepool_tagger.function_id
}

output "application_id" {
  description = "OCID of the Functions application."
  value       = module.oke_nodepool_tagger.application_id
}

output "node_pool_dynamic_groups" {
  description = "The node pools' dynamic groups: key => name."
  value       = module.oke_nodepool_tagger.node_pool_dynamic_groups
}

output "events_rule_ids" {
  description = "The Events rules: compartment OCID => rule OCID."
  value       = module.oke_nodepool_tagger.events_rule_ids
}

output "reconcile_schedule_id" {
  description = "OCID of the reconcile schedule, or null without one."
  value       = module.oke_nodepool_tagger.reconcile_schedule_id
}

output "log_group_id" {
  description = "OCID of the log group."
  value       = module.oke_nodepool_tagger.log_group_id
}

output "alarm_topic_id" {
  description = "OCID of the alarms' Notifications topic."
  value       = module.oke_nodepool_tagger.alarm_topic_id
}
