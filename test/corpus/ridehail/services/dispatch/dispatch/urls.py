from django.urls import include, path

urlpatterns = [
    path("trips/", include("trips.urls")),
    path("auth/", include("social_django.urls", namespace="social")),
]
