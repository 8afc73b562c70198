# The function's dynamic group and least-privilege policy, the policy that
# lets Events invoke it, and the per-pool groups (from iam --format tfvars).
# Matching rules stay on one line: a heredoc rule is read as ANY
# (terraform-provider-oci #2465). Dynamic groups and policies live in the
# tenancy's Default identity domain.
resource "oci_identity_dynamic_group" "function" {
  compartment_id = var.tenancy_ocid
  name           = local.function_group_name
  description    = "The oke-nodepool-tagger function"
  matching_rule  = "ALL {resource.type = 'fnfunc', resource.compartment.id = '${var.compartment_ocid}', resource.id = '${oci_functions_function.tagger.id}'}"

  lifecycle {
    ignore_changes = [defined_tags]
  }
}

# The statements are local.function_policy_statements; OCI takes at most 50
# per policy, so the first 50 stay in <name>-fn (the address and name of
# every deployment that fits) and the rest go to <name>-fn-2, -3, ….
resource "oci_identity_policy" "function" {
  compartment_id = var.tenancy_ocid
  name           = "${local.name}-fn"
  description    = "Least privilege for oke-nodepool-tagger: read node pools and instances, update instances, use only its tag namespace"
  statements     = local.function_policy_chunks[0]

  # The statements name the group by its name: it must exist first.
  depends_on = [oci_identity_dynamic_group.function]

  lifecycle {
    ignore_changes = [defined_tags]
  }
}

resource "oci_identity_policy" "function_overflow" {
  count          = length(local.function_policy_chunks) - 1
  compartment_id = var.tenancy_ocid
  name           = "${local.name}-fn-${count.index + 2}"
  description    = "Least privilege for oke-nodepool-tagger, continued (at most 50 statements per policy)"
  statements     = local.function_policy_chunks[count.index + 1]

  depends_on = [oci_identity_dynamic_group.function]

  lifecycle {
    ignore_changes = [defined_tags]
  }
}

# As given by Oracle's "Events and IAM Policies" page; not tested against a real tenancy.
resource "oci_identity_policy" "events" {
  compartment_id = var.tenancy_ocid
  name           = "${local.name}-events"
  description    = "Lets the Events service invoke functions (oke-nodepool-tagger)"
  statements     = ["Allow service cloudEvents to use functions-family in compartment id ${var.compartment_ocid}"]

  lifecycle {
    ignore_changes = [defined_tags]
  }
}

# One group per node pool, as printed by oke-nodepool-tagger iam --format tfvars.
resource "oci_identity_dynamic_group" "node_pool" {
  for_each       = var.node_pool_groups
  compartment_id = var.tenancy_ocid
  name           = each.value.name
  description    = each.value.description
  matching_rule  = each.value.matching_rule

  # A rule naming a tag key that does not exist yet matches nothing.
  depends_on = [oci_identity_tag.pool, oci_identity_tag.cluster]

  lifecycle {
    ignore_changes = [defined_tags]
  }
}
