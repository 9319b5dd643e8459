from django.urls import path

from trips import views

urlpatterns = [path("<str:trip_id>/", views.trip_detail)]
