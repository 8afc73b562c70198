# The provider release whose schemas this module was checked against
# (test/fixtures/terraform-oci-schema.json). Without the source, Terraform
# would look for the legacy hashicorp/oci.
terraform {
  required_version = ">= 1.3"

  required_providers {
    oci = {
      source  = "oracle/oci"
      version = "~> 8.28"
    }
  }
}
