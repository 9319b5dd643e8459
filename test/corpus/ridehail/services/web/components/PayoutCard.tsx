import React from "react";

export interface PayoutCardProps {
  title: string;
  subtitle?: string;
  onSelect?: (id: string) => void;
  id: string;
}

export function PayoutCard({ title, subtitle, onSelect, id }: PayoutCardProps) {
  return (
    <div className="card card-0" onClick={() => onSelect?.(id)}>
      <h3>{title}</h3>
      {subtitle ? <p>{subtitle}</p> : null}
    </div>
  );
}
