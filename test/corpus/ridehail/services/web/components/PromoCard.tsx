import React from "react";

export interface PromoCardProps {
  title: string;
  subtitle?: string;
  onSelect?: (id: string) => void;
  id: string;
}

export function PromoCard({ title, subtitle, onSelect, id }: PromoCardProps) {
  return (
    <div className="card card-2" onClick={() => onSelect?.(id)}>
      <h3>{title}</h3>
      {subtitle ? <p>{subtitle}</p> : null}
    </div>
  );
}
