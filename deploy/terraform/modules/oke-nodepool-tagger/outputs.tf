output "application_id" {
  description = "OCID of the Functions application."
  value       = oci_functions_application.tagger.id
}

output "function_id" {
  description = "OCID of the function."
  value       = oci_functions_function.tagger.id
}

output "function_dynamic_group" {
  description = "Name of the function's dynamic group."
  value       = oci_identity_dynamic_group.function.name
}

output "node_pool_dynamic_groups" {
  description = "The node pools' dynamic groups: key => name."
  value       = { for key, group in oci_identity_dynamic_group.node_pool : key => group.name }
}

output "events_rule_ids" {
  description = "The Events rules: compartment OCID => rule OCID."
  value       = { for compartment, rule in oci_events_rule.tagger : compartment => rule.id }
}

output "reconcile_schedule_id" {
  description = "OCID of the reconcile schedule, or null without one."
  value       = one(oci_resource_scheduler_schedule.reconcile[*].id)
}

output "log_group_id" {
  description = "OCID of the log group holding the invoke and rule execution logs."
  value       = oci_logging_log_group.tagger.id
}

output "alarm_topic_id" {
  description = "OCID of the alarms' Notifications topic, or null without alarms."
  value       = one(oci_ons_notification_topic.alarms[*].id)
}
