import React from "react";
import { RatingCard } from "../../../web/components/RatingCard";

export default function RatingPage() {
  return <RatingCard id="rating" title="Ratings" />;
}
