import React from "react";
import { DriverCard } from "../../../web/components/DriverCard";

export default function DriverPage() {
  return <DriverCard id="driver" title="Drivers" />;
}
