import React from "react";
import { DisputeCard } from "../../../web/components/DisputeCard";

export default function DisputePage() {
  return <DisputeCard id="dispute" title="Disputes" />;
}
