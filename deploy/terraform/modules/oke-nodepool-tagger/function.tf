# The Functions application and the function. Resource Manager does not
# build images: image and image_digest name one already pushed to OCIR.
resource "oci_functions_application" "tagger" {
  compartment_id = var.compartment_ocid
  display_name   = var.application_name
  subnet_ids     = var.subnet_ids
  shape          = var.application_shape

  lifecycle {
    ignore_changes = [defined_tags]
  }
}

resource "oci_functions_function" "tagger" {
  application_id                   = oci_functions_application.tagger.id
  display_name                     = "oke-nodepool-tagger"
  image                            = var.image
  image_digest                     = var.image_digest
  memory_in_mbs                    = tostring(var.memory_in_mbs)
  timeout_in_seconds               = var.timeout_in_seconds
  detached_mode_timeout_in_seconds = var.detached_timeout_in_seconds
  config                           = local.function_config

  lifecycle {
    ignore_changes = [defined_tags]
  }
}
