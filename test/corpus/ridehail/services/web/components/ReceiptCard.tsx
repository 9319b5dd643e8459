import React from "react";

export interface ReceiptCardProps {
  title: string;
  subtitle?: string;
  onSelect?: (id: string) => void;
  id: string;
}

export function ReceiptCard({ title, subtitle, onSelect, id }: ReceiptCardProps) {
  return (
    <div className="card card-2" onClick={() => onSelect?.(id)}>
      <h3>{title}</h3>
      {subtitle ? <p>{subtitle}</p> : null}
    </div>
  );
}
