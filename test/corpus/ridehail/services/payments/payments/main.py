import stripe
from fastapi import FastAPI, Header, HTTPException, Request

from payments.settings import settings

app = FastAPI(title="payments")
stripe.api_key = settings.stripe_secret_key.get_secret_value()


@app.post("/webhooks/stripe")
async def stripe_webhook(request: Request, stripe_signature: str = Header(...)):
    payload = await request.body()
    try:
        event = stripe.Webhook.construct_event(payload, stripe_signature, settings.stripe_webhook_secret.get_secret_value())
    except ValueError as exc:
        raise HTTPException(status_code=400) from exc
    return {"received": event["type"]}
