resource "google_secret_manager_secret" "stripe" {
  project   = var.project_id
  secret_id = "stripe-api-key"

  replication {
    auto {}
  }
}
