from fastapi import APIRouter, HTTPException

from app.models.promo import Promo, PromoKind

router = APIRouter(prefix="/promos", tags=["promo"])
_store: dict[str, Promo] = {}


@router.post("")
async def create_promo(kind: PromoKind = PromoKind.STANDARD) -> dict:
    item = Promo(kind=kind)
    _store[item.id] = item
    return item.to_dict()


@router.get("/{item_id}")
async def get_promo(item_id: str) -> dict:
    item = _store.get(item_id)
    if item is None:
        raise HTTPException(status_code=404, detail="promo not found")
    return item.to_dict()


def page_size(params: dict) -> int:
    # "env" here is the request's query mapping, not the process environment.
    env = params
    return int(env.get("page_size", 50))
