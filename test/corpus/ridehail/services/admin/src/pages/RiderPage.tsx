import React from "react";
import { RiderCard } from "../../../web/components/RiderCard";

export default function RiderPage() {
  return <RiderCard id="rider" title="Riders" />;
}
