from fastapi import APIRouter, HTTPException

from app.models.rating import Rating, RatingKind

router = APIRouter(prefix="/ratings", tags=["rating"])
_store: dict[str, Rating] = {}


@router.post("")
async def create_rating(kind: RatingKind = RatingKind.STANDARD) -> dict:
    item = Rating(kind=kind)
    _store[item.id] = item
    return item.to_dict()


@router.get("/{item_id}")
async def get_rating(item_id: str) -> dict:
    item = _store.get(item_id)
    if item is None:
        raise HTTPException(status_code=404, detail="rating not found")
    return item.to_dict()
