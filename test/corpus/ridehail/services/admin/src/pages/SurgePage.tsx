import React from "react";
import { SurgeCard } from "../../../web/components/SurgeCard";

export default function SurgePage() {
  return <SurgeCard id="surge" title="Surges" />;
}
