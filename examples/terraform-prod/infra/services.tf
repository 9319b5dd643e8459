# Both services are applied once per environment:
#   terraform apply -var-file=environments/staging.tfvars
#   terraform apply -var-file=environments/prod.tfvars

locals {
  # Plain settings every service gets.
  common_env = {
    LOG_FORMAT = "json"
    CURRENCY   = "EUR"
  }
}

resource "google_cloud_run_v2_service" "orders" {
  name     = "orders-${var.env}"
  project  = var.project_id
  location = var.region

  template {
    containers {
      image = "${local.registry}/orders:1.8.0"

      dynamic "env" {
        for_each = local.common_env
        content {
          name  = env.key
          value = env.value
        }
      }
    }
  }
}

resource "google_cloud_run_v2_service" "billing" {
  name     = "billing-${var.env}"
  project  = var.project_id
  location = var.region

  template {
    containers {
      image = "${local.registry}/billing:3.2.0"

      dynamic "env" {
        for_each = local.common_env
        content {
          name  = env.key
          value = env.value
        }
      }
      env {
        name  = "SESSION_SECRET"
        value = "changeme"
      }
      env {
        name = "STRIPE_API_KEY"
        value_source {
          secret_key_ref {
            secret  = google_secret_manager_secret.stripe.secret_id
            version = "latest"
          }
        }
      }
    }
  }
}
