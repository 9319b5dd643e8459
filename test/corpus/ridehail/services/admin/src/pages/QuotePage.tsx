import React from "react";
import { QuoteCard } from "../../../web/components/QuoteCard";

export default function QuotePage() {
  return <QuoteCard id="quote" title="Quotes" />;
}
