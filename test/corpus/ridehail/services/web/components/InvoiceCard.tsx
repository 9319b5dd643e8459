import React from "react";

export interface InvoiceCardProps {
  title: string;
  subtitle?: string;
  onSelect?: (id: string) => void;
  id: string;
}

export function InvoiceCard({ title, subtitle, onSelect, id }: InvoiceCardProps) {
  return (
    <div className="card card-1" onClick={() => onSelect?.(id)}>
      <h3>{title}</h3>
      {subtitle ? <p>{subtitle}</p> : null}
    </div>
  );
}
