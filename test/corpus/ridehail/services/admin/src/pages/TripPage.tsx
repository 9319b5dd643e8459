import React from "react";
import { TripCard } from "../../../web/components/TripCard";

export default function TripPage() {
  return <TripCard id="trip" title="Trips" />;
}
