import React from "react";
import { ReceiptCard } from "../../../web/components/ReceiptCard";

export default function ReceiptPage() {
  return <ReceiptCard id="receipt" title="Receipts" />;
}
