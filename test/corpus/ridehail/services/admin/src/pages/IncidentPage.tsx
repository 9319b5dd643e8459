import React from "react";
import { IncidentCard } from "../../../web/components/IncidentCard";

export default function IncidentPage() {
  return <IncidentCard id="incident" title="Incidents" />;
}
