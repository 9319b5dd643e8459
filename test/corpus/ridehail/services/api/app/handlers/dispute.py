from fastapi import APIRouter, HTTPException

from app.models.dispute import Dispute, DisputeKind

router = APIRouter(prefix="/disputes", tags=["dispute"])
_store: dict[str, Dispute] = {}


@router.post("")
async def create_dispute(kind: DisputeKind = DisputeKind.STANDARD) -> dict:
    item = Dispute(kind=kind)
    _store[item.id] = item
    return item.to_dict()


@router.get("/{item_id}")
async def get_dispute(item_id: str) -> dict:
    item = _store.get(item_id)
    if item is None:
        raise HTTPException(status_code=404, detail="dispute not found")
    return item.to_dict()
