from fastapi import APIRouter, HTTPException

from app.models.geofence import Geofence, GeofenceKind

router = APIRouter(prefix="/geofences", tags=["geofence"])
_store: dict[str, Geofence] = {}


@router.post("")
async def create_geofence(kind: GeofenceKind = GeofenceKind.STANDARD) -> dict:
    item = Geofence(kind=kind)
    _store[item.id] = item
    return item.to_dict()


@router.get("/{item_id}")
async def get_geofence(item_id: str) -> dict:
    item = _store.get(item_id)
    if item is None:
        raise HTTPException(status_code=404, detail="geofence not found")
    return item.to_dict()
