# Alarms to a Notifications topic: Events deliveries that failed (namespace
# oci_cloudevents, per rule compartment) and function responses of type
# Error (namespace oci_faas; the documented types are Success, Error and
# Throttled). The metric and dimension names follow
# Oracle's metric pages and were not checked against a real tenancy.
resource "oci_ons_notification_topic" "alarms" {
  count          = var.enable_alarms ? 1 : 0
  compartment_id = var.compartment_ocid
  name           = "${local.name}-alarms"
  description    = "Alarms of oke-nodepool-tagger"

  lifecycle {
    ignore_changes = [defined_tags]
  }
}

resource "oci_ons_subscription" "email" {
  count          = var.enable_alarms && local.alarm_email != null ? 1 : 0
  compartment_id = var.compartment_ocid
  topic_id       = oci_ons_notification_topic.alarms[0].id
  protocol       = "EMAIL"
  endpoint       = local.alarm_email

  lifecycle {
    ignore_changes = [defined_tags]
  }
}

resource "oci_monitoring_alarm" "delivery_failed" {
  for_each              = var.enable_alarms ? local.events_rules : {}
  compartment_id        = var.compartment_ocid
  display_name          = "${local.name}-delivery-failed-${substr(sha1(each.key), 0, 8)}"
  body                  = "OCI Events failed to deliver events to oke-nodepool-tagger in compartment ${each.key}; the scheduled reconcile heals what was missed."
  destinations          = [oci_ons_notification_topic.alarms[0].id]
  is_enabled            = true
  metric_compartment_id = each.key
  namespace             = "oci_cloudevents"
  query                 = "DeliveryFailedEvents[5m].sum() > 0"
  severity              = "CRITICAL"
  pending_duration      = "PT5M"

  lifecycle {
    ignore_changes = [defined_tags]
  }
}

resource "oci_monitoring_alarm" "function_errors" {
  count                 = var.enable_alarms ? 1 : 0
  compartment_id        = var.compartment_ocid
  display_name          = "${local.name}-function-errors"
  body                  = "oke-nodepool-tagger answered with errors; see the invoke log."
  destinations          = [oci_ons_notification_topic.alarms[0].id]
  is_enabled            = true
  metric_compartment_id = var.compartment_ocid
  namespace             = "oci_faas"
  query                 = "FunctionResponseCount[5m]{resourceId = \"${oci_functions_function.tagger.id}\", responseType = \"Error\"}.sum() > 0"
  severity              = "CRITICAL"
  pending_duration      = "PT5M"

  lifecycle {
    ignore_changes = [defined_tags]
  }
}
