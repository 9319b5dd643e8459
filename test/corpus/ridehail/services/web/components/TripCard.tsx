import React from "react";

export interface TripCardProps {
  title: string;
  subtitle?: string;
  onSelect?: (id: string) => void;
  id: string;
}

export function TripCard({ title, subtitle, onSelect, id }: TripCardProps) {
  return (
    <div className="card card-0" onClick={() => onSelect?.(id)}>
      <h3>{title}</h3>
      {subtitle ? <p>{subtitle}</p> : null}
    </div>
  );
}
