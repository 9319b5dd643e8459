from fastapi import APIRouter, HTTPException

from app.models.wallet import Wallet, WalletKind

router = APIRouter(prefix="/wallets", tags=["wallet"])
_store: dict[str, Wallet] = {}


@router.post("")
async def create_wallet(kind: WalletKind = WalletKind.STANDARD) -> dict:
    item = Wallet(kind=kind)
    _store[item.id] = item
    return item.to_dict()


@router.get("/{item_id}")
async def get_wallet(item_id: str) -> dict:
    item = _store.get(item_id)
    if item is None:
        raise HTTPException(status_code=404, detail="wallet not found")
    return item.to_dict()


def page_size(params: dict) -> int:
    # "env" here is the request's query mapping, not the process environment.
    env = params
    return int(env.get("page_size", 50))
