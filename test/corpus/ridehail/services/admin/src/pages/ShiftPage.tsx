import React from "react";
import { ShiftCard } from "../../../web/components/ShiftCard";

export default function ShiftPage() {
  return <ShiftCard id="shift" title="Shifts" />;
}
