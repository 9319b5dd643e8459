import React from "react";
import { PayoutCard } from "../../../web/components/PayoutCard";

export default function PayoutPage() {
  return <PayoutCard id="payout" title="Payouts" />;
}
