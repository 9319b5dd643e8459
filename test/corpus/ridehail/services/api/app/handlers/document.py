from fastapi import APIRouter, HTTPException

from app.models.document import Document, DocumentKind

router = APIRouter(prefix="/documents", tags=["document"])
_store: dict[str, Document] = {}


@router.post("")
async def create_document(kind: DocumentKind = DocumentKind.STANDARD) -> dict:
    item = Document(kind=kind)
    _store[item.id] = item
    return item.to_dict()


@router.get("/{item_id}")
async def get_document(item_id: str) -> dict:
    item = _store.get(item_id)
    if item is None:
        raise HTTPException(status_code=404, detail="document not found")
    return item.to_dict()


def page_size(params: dict) -> int:
    # "env" here is the request's query mapping, not the process environment.
    env = params
    return int(env.get("page_size", 50))
