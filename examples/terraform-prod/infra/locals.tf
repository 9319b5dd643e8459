locals {
  registry = "europe-docker.pkg.dev/shopfront/apps"
}
