from fastapi import APIRouter, HTTPException

from app.models.fare import Fare, FareKind

router = APIRouter(prefix="/fares", tags=["fare"])
_store: dict[str, Fare] = {}


@router.post("")
async def create_fare(kind: FareKind = FareKind.STANDARD) -> dict:
    item = Fare(kind=kind)
    _store[item.id] = item
    return item.to_dict()


@router.get("/{item_id}")
async def get_fare(item_id: str) -> dict:
    item = _store.get(item_id)
    if item is None:
        raise HTTPException(status_code=404, detail="fare not found")
    return item.to_dict()


def page_size(params: dict) -> int:
    # "env" here is the request's query mapping, not the process environment.
    env = params
    return int(env.get("page_size", 50))
