from fastapi import APIRouter, HTTPException

from app.models.vehicle import Vehicle, VehicleKind

router = APIRouter(prefix="/vehicles", tags=["vehicle"])
_store: dict[str, Vehicle] = {}


@router.post("")
async def create_vehicle(kind: VehicleKind = VehicleKind.STANDARD) -> dict:
    item = Vehicle(kind=kind)
    _store[item.id] = item
    return item.to_dict()


@router.get("/{item_id}")
async def get_vehicle(item_id: str) -> dict:
    item = _store.get(item_id)
    if item is None:
        raise HTTPException(status_code=404, detail="vehicle not found")
    return item.to_dict()
