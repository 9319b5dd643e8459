import React from "react";

export interface RiderCardProps {
  title: string;
  subtitle?: string;
  onSelect?: (id: string) => void;
  id: string;
}

export function RiderCard({ title, subtitle, onSelect, id }: RiderCardProps) {
  return (
    <div className="card card-0" onClick={() => onSelect?.(id)}>
      <h3>{title}</h3>
      {subtitle ? <p>{subtitle}</p> : null}
    </div>
  );
}
