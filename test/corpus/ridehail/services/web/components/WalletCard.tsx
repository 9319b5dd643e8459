import React from "react";

export interface WalletCardProps {
  title: string;
  subtitle?: string;
  onSelect?: (id: string) => void;
  id: string;
}

export function WalletCard({ title, subtitle, onSelect, id }: WalletCardProps) {
  return (
    <div className="card card-1" onClick={() => onSelect?.(id)}>
      <h3>{title}</h3>
      {subtitle ? <p>{subtitle}</p> : null}
    </div>
  );
}
