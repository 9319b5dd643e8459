import React from "react";
import { ZoneCard } from "../../../web/components/ZoneCard";

export default function ZonePage() {
  return <ZoneCard id="zone" title="Zones" />;
}
