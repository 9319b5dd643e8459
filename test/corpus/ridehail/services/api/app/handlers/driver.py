from fastapi import APIRouter, HTTPException

from app.models.driver import Driver, DriverKind

router = APIRouter(prefix="/drivers", tags=["driver"])
_store: dict[str, Driver] = {}


@router.post("")
async def create_driver(kind: DriverKind = DriverKind.STANDARD) -> dict:
    item = Driver(kind=kind)
    _store[item.id] = item
    return item.to_dict()


@router.get("/{item_id}")
async def get_driver(item_id: str) -> dict:
    item = _store.get(item_id)
    if item is None:
        raise HTTPException(status_code=404, detail="driver not found")
    return item.to_dict()
