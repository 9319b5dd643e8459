from django.http import JsonResponse


def trip_detail(request, trip_id):
    return JsonResponse({"id": trip_id})
