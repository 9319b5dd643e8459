from fastapi import APIRouter, HTTPException

from app.models.zone import Zone, ZoneKind

router = APIRouter(prefix="/zones", tags=["zone"])
_store: dict[str, Zone] = {}


@router.post("")
async def create_zone(kind: ZoneKind = ZoneKind.STANDARD) -> dict:
    item = Zone(kind=kind)
    _store[item.id] = item
    return item.to_dict()


@router.get("/{item_id}")
async def get_zone(item_id: str) -> dict:
    item = _store.get(item_id)
    if item is None:
        raise HTTPException(status_code=404, detail="zone not found")
    return item.to_dict()
