import React from "react";
import { WalletCard } from "../../../web/components/WalletCard";

export default function WalletPage() {
  return <WalletCard id="wallet" title="Wallets" />;
}
