from fastapi import APIRouter, HTTPException

from app.models.rider import Rider, RiderKind

router = APIRouter(prefix="/riders", tags=["rider"])
_store: dict[str, Rider] = {}


@router.post("")
async def create_rider(kind: RiderKind = RiderKind.STANDARD) -> dict:
    item = Rider(kind=kind)
    _store[item.id] = item
    return item.to_dict()


@router.get("/{item_id}")
async def get_rider(item_id: str) -> dict:
    item = _store.get(item_id)
    if item is None:
        raise HTTPException(status_code=404, detail="rider not found")
    return item.to_dict()


def page_size(params: dict) -> int:
    # "env" here is the request's query mapping, not the process environment.
    env = params
    return int(env.get("page_size", 50))
