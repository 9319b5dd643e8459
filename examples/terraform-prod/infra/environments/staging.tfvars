project_id = "shopfront-stg"
env        = "stg"
