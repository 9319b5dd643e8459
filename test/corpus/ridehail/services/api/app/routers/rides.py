from fastapi import APIRouter, Depends
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.maps import MapsClient
from app.db import get_session

router = APIRouter()


@router.get("/rides/{ride_id}")
async def get_ride(ride_id: str, session: AsyncSession = Depends(get_session)) -> dict:
    row = await session.get(object, ride_id)  # replaced by the ORM model in app/models
    return {"id": ride_id, "found": row is not None}


@router.get("/rides/{ride_id}/eta")
async def ride_eta(ride_id: str, lat: float, lng: float, to_lat: float, to_lng: float) -> dict:
    maps = MapsClient()
    return {"id": ride_id, "eta_seconds": await maps.eta_seconds((lat, lng), (to_lat, to_lng))}
