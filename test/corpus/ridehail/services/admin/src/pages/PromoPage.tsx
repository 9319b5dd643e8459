import React from "react";
import { PromoCard } from "../../../web/components/PromoCard";

export default function PromoPage() {
  return <PromoCard id="promo" title="Promos" />;
}
