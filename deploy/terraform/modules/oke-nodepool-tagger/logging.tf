# The log group, the application's invoke log (invoke logs belong to the
# application, not the function) and each Events rule's execution log.
resource "oci_logging_log_group" "tagger" {
  compartment_id = var.compartment_ocid
  display_name   = local.name
  description    = "Logs of oke-nodepool-tagger: function invocations and Events rule executions"

  lifecycle {
    ignore_changes = [defined_tags]
  }
}

resource "oci_logging_log" "invoke" {
  display_name       = "${local.name}-invoke"
  log_group_id       = oci_logging_log_group.tagger.id
  log_type           = "SERVICE"
  is_enabled         = true
  retention_duration = var.log_retention_days

  configuration {
    compartment_id = var.compartment_ocid

    source {
      category    = "invoke"
      resource    = oci_functions_application.tagger.id
      service     = "functions"
      source_type = "OCISERVICE"
    }
  }

  lifecycle {
    ignore_changes = [defined_tags]
  }
}

resource "oci_logging_log" "rule_execution" {
  for_each           = oci_events_rule.tagger
  display_name       = "${local.name}-rule-${substr(sha1(each.key), 0, 8)}"
  log_group_id       = oci_logging_log_group.tagger.id
  log_type           = "SERVICE"
  is_enabled         = true
  retention_duration = var.log_retention_days

  configuration {
    compartment_id = each.key

    source {
      category    = "ruleexecutionlog"
      resource    = each.value.id
      service     = "cloudevents"
      source_type = "OCISERVICE"
    }
  }

  lifecycle {
    ignore_changes = [defined_tags]
  }
}
