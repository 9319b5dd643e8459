from fastapi import APIRouter, HTTPException

from app.models.receipt import Receipt, ReceiptKind

router = APIRouter(prefix="/receipts", tags=["receipt"])
_store: dict[str, Receipt] = {}


@router.post("")
async def create_receipt(kind: ReceiptKind = ReceiptKind.STANDARD) -> dict:
    item = Receipt(kind=kind)
    _store[item.id] = item
    return item.to_dict()


@router.get("/{item_id}")
async def get_receipt(item_id: str) -> dict:
    item = _store.get(item_id)
    if item is None:
        raise HTTPException(status_code=404, detail="receipt not found")
    return item.to_dict()
