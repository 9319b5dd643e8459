from fastapi import APIRouter, HTTPException

from app.models.incident import Incident, IncidentKind

router = APIRouter(prefix="/incidents", tags=["incident"])
_store: dict[str, Incident] = {}


@router.post("")
async def create_incident(kind: IncidentKind = IncidentKind.STANDARD) -> dict:
    item = Incident(kind=kind)
    _store[item.id] = item
    return item.to_dict()


@router.get("/{item_id}")
async def get_incident(item_id: str) -> dict:
    item = _store.get(item_id)
    if item is None:
        raise HTTPException(status_code=404, detail="incident not found")
    return item.to_dict()
