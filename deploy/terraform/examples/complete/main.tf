# One terraform apply deploys oke-nodepool-tagger: copy
# terraform.tfvars.example to terraform.tfvars and fill it in. The provider
# reads ~/.oci/config (or, in Resource Manager, the stack's own principal).
terraform {
  required_version = ">= 1.3"

  required_providers {
    oci = {
      source  = "oracle/oci"
      version = "~> 8.28"
    }
  }
}

provider "oci" {
  region = var.region
}

module "oke_nodepool_tagger" {
  source = "../../modules/oke-nodepool-tagger"

  tenancy_ocid                 = var.tenancy_ocid
  compartment_ocid             = var.compartment_ocid
  name_prefix                  = var.name_prefix
  application_name             = var.application_name
  subnet_ids                   = var.subnet_ids
  application_shape            = var.application_shape
  image                        = var.image
  image_digest                 = var.image_digest
  memory_in_mbs                = var.memory_in_mbs
  timeout_in_seconds           = var.timeout_in_seconds
  detached_timeout_in_seconds  = var.detached_timeout_in_seconds
  tag_namespace                = var.tag_namespace
  tag_name                     = var.tag_name
  cluster_tag_name             = var.cluster_tag_name
  search_compartment_ids       = var.search_compartment_ids
  config_timeout_seconds       = var.config_timeout_seconds
  dry_run                      = var.dry_run
  membership_wait_seconds      = var.membership_wait_seconds
  membership_grace_minutes     = var.membership_grace_minutes
  impostor_action              = var.impostor_action
  log_level                    = var.log_level
  allow_reconcile              = var.allow_reconcile
  containerengine_endpoint     = var.containerengine_endpoint
  compute_endpoint             = var.compute_endpoint
  create_tag_namespace         = var.create_tag_namespace
  tag_namespace_compartment_id = var.tag_namespace_compartment_id
  instance_compartment_ids     = var.instance_compartment_ids
  pool_compartment_ids         = var.pool_compartment_ids
  events_rule_limit            = var.events_rule_limit
  existing_events_rules        = var.existing_events_rules
  node_pool_groups             = var.node_pool_groups
  reconcile_schedule_cron      = var.reconcile_schedule_cron
  log_retention_days           = var.log_retention_days
  enable_alarms                = var.enable_alarms
  alarm_email                  = var.alarm_email
}
