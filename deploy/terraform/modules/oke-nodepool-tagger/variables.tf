# Where things go.

variable "tenancy_ocid" {
  type        = string
  description = "OCID of the tenancy: dynamic groups, policies and (by default) the tag namespace live there."

  validation {
    condition     = can(regex("^ocid1\\.tenancy\\.[a-z0-9]+\\.[a-z0-9-]*(\\.[a-z0-9-]+)?\\.[a-z0-9]{1,200}$", var.tenancy_ocid))
    error_message = "tenancy_ocid must be a tenancy OCID (ocid1.tenancy.…)."
  }
}

variable "compartment_ocid" {
  type        = string
  description = "Compartment of the application, function, schedule, log group, topic and alarms."

  validation {
    condition     = can(regex("^ocid1\\.(compartment|tenancy)\\.[a-z0-9]+\\.[a-z0-9-]*(\\.[a-z0-9-]+)?\\.[a-z0-9]{1,200}$", var.compartment_ocid))
    error_message = "compartment_ocid must be a compartment OCID (ocid1.compartment.… or the tenancy's)."
  }
}

variable "name_prefix" {
  type        = string
  description = "First part of every generated name; use one per region (dynamic groups and policies are tenancy-wide)."
  default     = "oke"

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,29}$", var.name_prefix))
    error_message = "name_prefix must be 1-30 letters, digits, _ . - and start with a letter or digit."
  }
}

# The application and the function.

variable "application_name" {
  type        = string
  description = "Display name of the Functions application."
  default     = "oke-tagger"
}

variable "subnet_ids" {
  type        = list(string)
  description = "Subnets of the application; they need a route to the OCI APIs (service gateway) and to OCIR."

  validation {
    condition     = length(var.subnet_ids) > 0
    error_message = "subnet_ids needs at least one subnet OCID."
  }
}

variable "application_shape" {
  type        = string
  description = "Processor architecture of the application; the image must be built for it."
  default     = "GENERIC_X86"

  validation {
    condition     = contains(["GENERIC_X86", "GENERIC_ARM", "GENERIC_X86_ARM"], var.application_shape)
    error_message = "application_shape must be GENERIC_X86, GENERIC_ARM or GENERIC_X86_ARM."
  }
}

variable "image" {
  type        = string
  description = "The function's image in OCIR, with its version tag, e.g. iad.ocir.io/<namespace>/oke-nodepool-tagger:0.1.0."

  validation {
    condition     = can(regex("^[^@\\s]+:[A-Za-z0-9_.-]+$", var.image))
    error_message = "image must be <registry>/<namespace>/<repository>:<tag>; give the digest in image_digest."
  }
}

variable "image_digest" {
  type        = string
  description = "The digest of that image (sha256:…), so that the function runs exactly the image that was pushed."

  validation {
    condition     = can(regex("^sha256:[0-9a-f]{64}$", var.image_digest))
    error_message = "image_digest must be sha256: followed by 64 hexadecimal digits."
  }
}

variable "memory_in_mbs" {
  type        = number
  description = "The function's memory in MB."
  default     = 256

  validation {
    condition     = contains([128, 256, 512, 1024, 2048, 3072], var.memory_in_mbs)
    error_message = "memory_in_mbs must be 128, 256, 512, 1024, 2048 or 3072."
  }
}

variable "timeout_in_seconds" {
  type        = number
  description = "The function's timeout for synchronous invocations (Events), in seconds."
  default     = 60

  validation {
    condition     = var.timeout_in_seconds >= 5 && var.timeout_in_seconds <= 300
    error_message = "timeout_in_seconds must be 5-300."
  }
}

variable "detached_timeout_in_seconds" {
  type        = number
  description = "The function's timeout for detached invocations (the schedule); keep it shorter than the time between two runs."
  default     = 900

  validation {
    condition     = var.detached_timeout_in_seconds >= 5 && var.detached_timeout_in_seconds <= 3600
    error_message = "detached_timeout_in_seconds must be 5-3600."
  }
}

# The function's config keys (README "Configuration").

variable "tag_namespace" {
  type        = string
  description = "Defined-tag namespace the function writes (config tag_namespace)."
  default     = "oke-nodepool-tags"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,100}$", var.tag_namespace))
    error_message = "tag_namespace may hold only letters, digits, _ and - (it appears unquoted in matching rules)."
  }
}

variable "tag_name" {
  type        = string
  description = "Key that receives the node pool's name (config tag_name)."
  default     = "oke-nodepool-name"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,100}$", var.tag_name))
    error_message = "tag_name may hold only letters, digits, _ and - (it appears unquoted in matching rules)."
  }
}

variable "cluster_tag_name" {
  type        = string
  description = "Key that receives the cluster's name (config cluster_tag_name); null leaves it out."
  default     = null

  validation {
    condition     = var.cluster_tag_name == null || can(regex("^[A-Za-z0-9_-]{1,100}$", var.cluster_tag_name))
    error_message = "cluster_tag_name may hold only letters, digits, _ and - (it appears unquoted in matching rules)."
  }
}

variable "search_compartment_ids" {
  type        = list(string)
  description = "Extra compartments whose node pools a scan searches (config compartment_id); also granted read cluster-family."
  default     = []

  validation {
    condition     = alltrue([for id in var.search_compartment_ids : can(regex("^ocid1\\.(compartment|tenancy)\\.[a-z0-9]+\\.[a-z0-9-]*(\\.[a-z0-9-]+)?\\.[a-z0-9]{1,200}$", id))])
    error_message = "search_compartment_ids must hold compartment OCIDs (ocid1.compartment.… or the tenancy's)."
  }
}

variable "config_timeout_seconds" {
  type        = number
  description = "The function's budget when no Fn-Deadline header arrives (config timeout_seconds)."
  default     = 60

  validation {
    condition     = var.config_timeout_seconds >= 1 && var.config_timeout_seconds <= 3600
    error_message = "config_timeout_seconds must be 1-3600."
  }
}

variable "dry_run" {
  type        = bool
  description = "true: decide and log, never write tags (config dry_run)."
  default     = false
}

variable "membership_wait_seconds" {
  type        = number
  description = "On a launch, how long to re-check a hinted pool that does not list the node yet (config membership_wait_seconds)."
  default     = 5

  validation {
    condition     = var.membership_wait_seconds >= 0 && var.membership_wait_seconds <= 120
    error_message = "membership_wait_seconds must be 0-120."
  }
}

variable "membership_grace_minutes" {
  type        = number
  description = "A node younger than this is never proven a non-member (config membership_grace_minutes)."
  default     = 30

  validation {
    condition     = var.membership_grace_minutes >= 0 && var.membership_grace_minutes <= 1440
    error_message = "membership_grace_minutes must be 0-1440."
  }
}

variable "impostor_action" {
  type        = string
  description = "remove: a proven non-member loses our keys; report: it is only reported (config impostor_action)."
  default     = "remove"

  validation {
    condition     = contains(["remove", "report"], var.impostor_action)
    error_message = "impostor_action must be remove or report."
  }
}

variable "log_level" {
  type        = string
  description = "debug, info, warn or error (config log_level)."
  default     = "info"

  validation {
    condition     = contains(["debug", "info", "warn", "error"], var.log_level)
    error_message = "log_level must be debug, info, warn or error."
  }
}

variable "allow_reconcile" {
  type        = bool
  description = "false: refuse reconcile invocations, the schedule's included (config allow_reconcile)."
  default     = true
}

variable "containerengine_endpoint" {
  type        = string
  description = "Container Engine endpoint override, for private endpoints (config containerengine_endpoint); null uses the region's."
  default     = null
}

variable "compute_endpoint" {
  type        = string
  description = "Compute endpoint override, for private endpoints (config compute_endpoint); null uses the region's."
  default     = null
}

# Tags.

variable "create_tag_namespace" {
  type        = bool
  description = "Create the tag namespace and keys; false where the tenancy already has them. They refuse to be destroyed: terraform state rm them first (README)."
  default     = true
}

variable "tag_namespace_compartment_id" {
  type        = string
  description = "Compartment that holds the tag namespace; null (or \"\") means the tenancy."
  default     = null

  validation {
    condition     = var.tag_namespace_compartment_id == null || var.tag_namespace_compartment_id == "" || can(regex("^ocid1\\.(compartment|tenancy)\\.[a-z0-9]+\\.[a-z0-9-]*(\\.[a-z0-9-]+)?\\.[a-z0-9]{1,200}$", var.tag_namespace_compartment_id))
    error_message = "tag_namespace_compartment_id must be a compartment OCID (ocid1.compartment.… or the tenancy's), or null."
  }
}

# The node pools, the Events rules and the schedule.

variable "instance_compartment_ids" {
  type        = list(string)
  description = "Compartments that hold the node pools' instances: instance events are subscribed there, and the function may read and update instances there."

  validation {
    condition     = length(var.instance_compartment_ids) > 0 && length(var.instance_compartment_ids) <= 100
    error_message = "instance_compartment_ids needs 1-100 compartment OCIDs (a reconcile request names at most 100)."
  }

  validation {
    condition     = alltrue([for id in var.instance_compartment_ids : can(regex("^ocid1\\.(compartment|tenancy)\\.[a-z0-9]+\\.[a-z0-9-]*(\\.[a-z0-9-]+)?\\.[a-z0-9]{1,200}$", id))])
    error_message = "instance_compartment_ids must hold compartment OCIDs (ocid1.compartment.… or the tenancy's)."
  }
}

variable "pool_compartment_ids" {
  type        = list(string)
  description = "Compartments that hold the node pools: node-pool and cluster events are subscribed there, and the function may read cluster-family there."

  validation {
    condition     = length(var.pool_compartment_ids) > 0 && length(var.pool_compartment_ids) <= 100
    error_message = "pool_compartment_ids needs 1-100 compartment OCIDs (a reconcile request names at most 100)."
  }

  validation {
    condition     = alltrue([for id in var.pool_compartment_ids : can(regex("^ocid1\\.(compartment|tenancy)\\.[a-z0-9]+\\.[a-z0-9-]*(\\.[a-z0-9-]+)?\\.[a-z0-9]{1,200}$", id))])
    error_message = "pool_compartment_ids must hold compartment OCIDs (ocid1.compartment.… or the tenancy's)."
  }
}

variable "events_rule_limit" {
  type        = number
  description = "The tenancy's limit on Events rules."
  default     = 50

  validation {
    condition     = var.events_rule_limit >= 0 && floor(var.events_rule_limit) == var.events_rule_limit
    error_message = "events_rule_limit must be a whole number, 0 or more."
  }
}

variable "existing_events_rules" {
  type        = number
  description = "How many Events rules the tenancy already holds that are not this module's; the plan fails when the module's rules would not fit."
  default     = 0

  validation {
    condition     = var.existing_events_rules >= 0 && floor(var.existing_events_rules) == var.existing_events_rules
    error_message = "existing_events_rules must be a whole number, 0 or more."
  }
}

variable "node_pool_groups" {
  type = map(object({
    name          = string
    description   = string
    matching_rule = string
  }))
  description = "One dynamic group per node pool, as printed by oke-nodepool-tagger iam --format tfvars."
  default     = {}

  validation {
    condition     = alltrue([for group in values(var.node_pool_groups) : length(regexall("[\r\n]", group.matching_rule)) == 0])
    error_message = "Every matching_rule must be on one line (a rule over several lines is read as ANY, terraform-provider-oci #2465)."
  }
}

variable "reconcile_schedule_cron" {
  type        = string
  description = "When the scheduled reconcile runs: a five-field cron expression, UTC; null (or \"\") leaves the schedule out."
  default     = "0 * * * *"

  validation {
    condition     = var.reconcile_schedule_cron == null || var.reconcile_schedule_cron == "" || can(regex("^\\S+(\\s+\\S+){4}$", var.reconcile_schedule_cron))
    error_message = "reconcile_schedule_cron must be five cron fields (minute hour day-of-month month day-of-week), or null."
  }
}

# Logs and alarms.

variable "log_retention_days" {
  type        = number
  description = "How long the invoke and rule execution logs are kept, in days."
  default     = 30

  validation {
    condition     = contains([30, 60, 90, 120, 150, 180], var.log_retention_days)
    error_message = "log_retention_days must be 30, 60, 90, 120, 150 or 180."
  }
}

variable "enable_alarms" {
  type        = bool
  description = "Create the Notifications topic and the alarms."
  default     = true
}

variable "alarm_email" {
  type        = string
  description = "An email address subscribed to the alarms topic; null (or \"\") subscribes no one."
  default     = null

  validation {
    condition     = var.alarm_email == null || var.alarm_email == "" || can(regex("^[^@\\s]+@[^@\\s]+$", var.alarm_email))
    error_message = "alarm_email must be an email address, or null."
  }
}
