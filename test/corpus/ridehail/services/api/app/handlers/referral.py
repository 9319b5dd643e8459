from fastapi import APIRouter, HTTPException

from app.models.referral import Referral, ReferralKind

router = APIRouter(prefix="/referrals", tags=["referral"])
_store: dict[str, Referral] = {}


@router.post("")
async def create_referral(kind: ReferralKind = ReferralKind.STANDARD) -> dict:
    item = Referral(kind=kind)
    _store[item.id] = item
    return item.to_dict()


@router.get("/{item_id}")
async def get_referral(item_id: str) -> dict:
    item = _store.get(item_id)
    if item is None:
        raise HTTPException(status_code=404, detail="referral not found")
    return item.to_dict()
