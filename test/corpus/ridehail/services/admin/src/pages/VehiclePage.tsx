import React from "react";
import { VehicleCard } from "../../../web/components/VehicleCard";

export default function VehiclePage() {
  return <VehicleCard id="vehicle" title="Vehicles" />;
}
