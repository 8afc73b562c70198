# The scheduled reconcile: OCI Resource Scheduler invokes the function
# (always detached) with a reconcile body, to heal what events missed. Its
# principal is a dynamic group naming the schedule's own OCID, in the form of
# Oracle's "Resource Scheduler: Example Policies", example 3; not tested
# against a real tenancy.
resource "oci_resource_scheduler_schedule" "reconcile" {
  count              = local.reconcile_schedule_cron == null ? 0 : 1
  compartment_id     = var.compartment_ocid
  display_name       = "${local.name}-reconcile"
  description        = "Runs oke-nodepool-tagger reconcile (apply, prune) to heal what events missed"
  action             = "START_RESOURCE"
  recurrence_type    = "CRON"
  recurrence_details = local.reconcile_schedule_cron

  resources {
    id = oci_functions_function.tagger.id

    parameters {
      parameter_type = "BODY"
      value          = [jsonencode(local.reconcile_body)]
    }
  }

  lifecycle {
    ignore_changes = [defined_tags]
  }
}

resource "oci_identity_dynamic_group" "schedule" {
  count          = local.reconcile_schedule_cron == null ? 0 : 1
  compartment_id = var.tenancy_ocid
  name           = "${local.name}-schedule"
  description    = "The Resource Scheduler schedule that runs the oke-nodepool-tagger reconcile"
  matching_rule  = "ALL {resource.type='resourceschedule', resource.id='${oci_resource_scheduler_schedule.reconcile[0].id}'}"

  lifecycle {
    ignore_changes = [defined_tags]
  }
}

resource "oci_identity_policy" "schedule" {
  count          = local.reconcile_schedule_cron == null ? 0 : 1
  compartment_id = var.tenancy_ocid
  name           = "${local.name}-schedule"
  description    = "Lets the oke-nodepool-tagger schedule invoke the function"
  statements     = ["Allow dynamic-group ${oci_identity_dynamic_group.schedule[0].name} to manage functions-family in compartment id ${var.compartment_ocid}"]

  lifecycle {
    ignore_changes = [defined_tags]
  }
}
