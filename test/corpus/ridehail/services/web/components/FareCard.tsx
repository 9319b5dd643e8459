import React from "react";

export interface FareCardProps {
  title: string;
  subtitle?: string;
  onSelect?: (id: string) => void;
  id: string;
}

export function FareCard({ title, subtitle, onSelect, id }: FareCardProps) {
  return (
    <div className="card card-1" onClick={() => onSelect?.(id)}>
      <h3>{title}</h3>
      {subtitle ? <p>{subtitle}</p> : null}
    </div>
  );
}
