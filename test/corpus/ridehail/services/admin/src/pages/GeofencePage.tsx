import React from "react";
import { GeofenceCard } from "../../../web/components/GeofenceCard";

export default function GeofencePage() {
  return <GeofenceCard id="geofence" title="Geofences" />;
}
