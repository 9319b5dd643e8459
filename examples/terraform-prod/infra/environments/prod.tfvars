project_id = "shopfront-prod"
env        = "prod"
