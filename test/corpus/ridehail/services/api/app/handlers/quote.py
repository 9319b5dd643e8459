from fastapi import APIRouter, HTTPException

from app.models.quote import Quote, QuoteKind

router = APIRouter(prefix="/quotes", tags=["quote"])
_store: dict[str, Quote] = {}


@router.post("")
async def create_quote(kind: QuoteKind = QuoteKind.STANDARD) -> dict:
    item = Quote(kind=kind)
    _store[item.id] = item
    return item.to_dict()


@router.get("/{item_id}")
async def get_quote(item_id: str) -> dict:
    item = _store.get(item_id)
    if item is None:
        raise HTTPException(status_code=404, detail="quote not found")
    return item.to_dict()
