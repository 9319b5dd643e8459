from fastapi import APIRouter, HTTPException

from app.models.shift import Shift, ShiftKind

router = APIRouter(prefix="/shifts", tags=["shift"])
_store: dict[str, Shift] = {}


@router.post("")
async def create_shift(kind: ShiftKind = ShiftKind.STANDARD) -> dict:
    item = Shift(kind=kind)
    _store[item.id] = item
    return item.to_dict()


@router.get("/{item_id}")
async def get_shift(item_id: str) -> dict:
    item = _store.get(item_id)
    if item is None:
        raise HTTPException(status_code=404, detail="shift not found")
    return item.to_dict()
