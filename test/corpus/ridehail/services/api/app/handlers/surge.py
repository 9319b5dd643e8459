from fastapi import APIRouter, HTTPException

from app.models.surge import Surge, SurgeKind

router = APIRouter(prefix="/surges", tags=["surge"])
_store: dict[str, Surge] = {}


@router.post("")
async def create_surge(kind: SurgeKind = SurgeKind.STANDARD) -> dict:
    item = Surge(kind=kind)
    _store[item.id] = item
    return item.to_dict()


@router.get("/{item_id}")
async def get_surge(item_id: str) -> dict:
    item = _store.get(item_id)
    if item is None:
        raise HTTPException(status_code=404, detail="surge not found")
    return item.to_dict()
