from fastapi import APIRouter, Depends
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import get_session

router = APIRouter()


@router.get("/rides/{ride_id}")
async def get_ride(ride_id: str, session: AsyncSession = Depends(get_session)) -> dict:
    row = await session.get(object, ride_id)  # replaced by the ORM model in app/models
    return {"id": ride_id, "found": row is not None}
