import React from "react";
import { InvoiceCard } from "../../../web/components/InvoiceCard";

export default function InvoicePage() {
  return <InvoiceCard id="invoice" title="Invoices" />;
}
