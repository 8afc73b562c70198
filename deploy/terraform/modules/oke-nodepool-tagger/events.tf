# The Events rules, one per compartment (see local.events_rules), each
# filtered to its compartment with data.compartmentId and calling the
# function. A tenancy holds at most events_rule_limit rules.
resource "oci_events_rule" "tagger" {
  for_each       = local.events_rules
  compartment_id = each.key
  display_name   = "${local.name}-launch"
  description    = "Sends oke-nodepool-tagger the events it acts on"
  is_enabled     = true
  condition = jsonencode({
    eventType = each.value
    data      = { compartmentId = [each.key] }
  })

  actions {
    action {
      action_type = "FAAS"
      is_enabled  = true
      function_id = oci_functions_function.tagger.id
    }
  }

  # Deliveries before Events may invoke the function would fail.
  depends_on = [oci_identity_policy.events]

  lifecycle {
    ignore_changes = [defined_tags]

    precondition {
      condition     = length(local.events_rules) <= local.events_rule_budget
      error_message = "These ${length(local.events_rules)} Events rules would pass the tenancy's limit: ${var.events_rule_limit} rules, ${var.existing_events_rules} of them already in use (events_rule_limit, existing_events_rules)."
    }
  }
}
