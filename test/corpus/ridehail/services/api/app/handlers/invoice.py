from fastapi import APIRouter, HTTPException

from app.models.invoice import Invoice, InvoiceKind

router = APIRouter(prefix="/invoices", tags=["invoice"])
_store: dict[str, Invoice] = {}


@router.post("")
async def create_invoice(kind: InvoiceKind = InvoiceKind.STANDARD) -> dict:
    item = Invoice(kind=kind)
    _store[item.id] = item
    return item.to_dict()


@router.get("/{item_id}")
async def get_invoice(item_id: str) -> dict:
    item = _store.get(item_id)
    if item is None:
        raise HTTPException(status_code=404, detail="invoice not found")
    return item.to_dict()
