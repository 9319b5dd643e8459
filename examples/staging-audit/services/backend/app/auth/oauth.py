"""Google sign-in (OAuth 2.0 authorization-code flow)."""
from __future__ import annotations

import os
import secrets
from urllib.parse import urlencode

import httpx
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse

router = APIRouter()

GOOGLE_CLIENT_ID = os.environ["GOOGLE_CLIENT_ID"]
GOOGLE_CLIENT_SECRET = os.environ["GOOGLE_CLIENT_SECRET"]

AUTHORIZE_URL = "https://accounts.google.com/o/oauth2/v2/auth"
TOKEN_URL = "https://oauth2.googleapis.com/token"


@router.get("/login")
async def login(request: Request) -> RedirectResponse:
    state = secrets.token_urlsafe(24)
    query = urlencode({
        "client_id": GOOGLE_CLIENT_ID,
        "redirect_uri": str(request.url_for("oauth_callback")),
        "response_type": "code",
        "scope": "openid email profile",
        "state": state,
    })
    response = RedirectResponse(f"{AUTHORIZE_URL}?{query}")
    response.set_cookie("oauth_state", state, max_age=600, httponly=True, secure=True, samesite="lax")
    return response


@router.get("/callback", name="oauth_callback")
async def callback(request: Request, code: str, state: str) -> dict:
    if not secrets.compare_digest(state, request.cookies.get("oauth_state", "")):
        raise HTTPException(status_code=400, detail="invalid OAuth state")
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.post(TOKEN_URL, data={
            "code": code,
            "client_id": GOOGLE_CLIENT_ID,
            "client_secret": GOOGLE_CLIENT_SECRET,
            "redirect_uri": str(request.url_for("oauth_callback")),
            "grant_type": "authorization_code",
        })
    if response.status_code != 200:
        raise HTTPException(status_code=502, detail="token exchange failed")
    return {"id_token": response.json()["id_token"]}
