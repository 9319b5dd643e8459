from fastapi import APIRouter, HTTPException

from app.models.trip import Trip, TripKind

router = APIRouter(prefix="/trips", tags=["trip"])
_store: dict[str, Trip] = {}


@router.post("")
async def create_trip(kind: TripKind = TripKind.STANDARD) -> dict:
    item = Trip(kind=kind)
    _store[item.id] = item
    return item.to_dict()


@router.get("/{item_id}")
async def get_trip(item_id: str) -> dict:
    item = _store.get(item_id)
    if item is None:
        raise HTTPException(status_code=404, detail="trip not found")
    return item.to_dict()
