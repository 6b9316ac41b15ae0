provider "aws" {
  region = var.region

  # Every resource that takes tags gets these; resources also pass local.tags explicitly so that the tagging
  # is visible (and tested) per resource.
  default_tags {
    tags = local.tags
  }
}
