variable "instance_alias" {
  type    = string
  default = "example-contact-centre"
}

variable "saml_provider_arn" {
  type = string
}
