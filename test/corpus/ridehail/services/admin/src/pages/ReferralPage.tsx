import React from "react";
import { ReferralCard } from "../../../web/components/ReferralCard";

export default function ReferralPage() {
  return <ReferralCard id="referral" title="Referrals" />;
}
