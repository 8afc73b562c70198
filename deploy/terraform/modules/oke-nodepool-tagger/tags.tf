# The tag namespace and keys the function writes. Set create_tag_namespace =
# false where the tenancy already has them (or import them). Every pool's
# dynamic group matches on these keys, so they refuse to be destroyed: to
# remove them on purpose, terraform state rm them first (README "Deploy").
resource "oci_identity_tag_namespace" "tagger" {
  count          = var.create_tag_namespace ? 1 : 0
  compartment_id = coalesce(local.tag_namespace_compartment_id, var.tenancy_ocid)
  name           = var.tag_namespace
  description    = "Tags written by oke-nodepool-tagger; dynamic groups match on them"

  lifecycle {
    prevent_destroy = true
    ignore_changes  = [defined_tags]
  }
}

resource "oci_identity_tag" "pool" {
  count            = var.create_tag_namespace ? 1 : 0
  tag_namespace_id = oci_identity_tag_namespace.tagger[0].id
  name             = var.tag_name
  description      = "The node pool's name (written by oke-nodepool-tagger)"

  lifecycle {
    prevent_destroy = true
    ignore_changes  = [defined_tags]
  }
}

resource "oci_identity_tag" "cluster" {
  count            = var.create_tag_namespace && var.cluster_tag_name != null ? 1 : 0
  tag_namespace_id = oci_identity_tag_namespace.tagger[0].id
  name             = var.cluster_tag_name
  description      = "The cluster's name (written by oke-nodepool-tagger)"

  lifecycle {
    prevent_destroy = true
    ignore_changes  = [defined_tags]
  }
}
