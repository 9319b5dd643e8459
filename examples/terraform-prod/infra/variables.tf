variable "project_id" {
  type = string
}

variable "env" {
  type        = string
  description = "Short environment name used in service names: stg or prod."
}

variable "region" {
  type    = string
  default = "europe-west1"
}
