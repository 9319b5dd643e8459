import React from "react";
import { FareCard } from "../../../web/components/FareCard";

export default function FarePage() {
  return <FareCard id="fare" title="Fares" />;
}
