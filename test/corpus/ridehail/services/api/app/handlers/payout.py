from fastapi import APIRouter, HTTPException

from app.models.payout import Payout, PayoutKind

router = APIRouter(prefix="/payouts", tags=["payout"])
_store: dict[str, Payout] = {}


@router.post("")
async def create_payout(kind: PayoutKind = PayoutKind.STANDARD) -> dict:
    item = Payout(kind=kind)
    _store[item.id] = item
    return item.to_dict()


@router.get("/{item_id}")
async def get_payout(item_id: str) -> dict:
    item = _store.get(item_id)
    if item is None:
        raise HTTPException(status_code=404, detail="payout not found")
    return item.to_dict()
