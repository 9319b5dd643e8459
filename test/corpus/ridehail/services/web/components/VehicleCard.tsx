import React from "react";

export interface VehicleCardProps {
  title: string;
  subtitle?: string;
  onSelect?: (id: string) => void;
  id: string;
}

export function VehicleCard({ title, subtitle, onSelect, id }: VehicleCardProps) {
  return (
    <div className="card card-2" onClick={() => onSelect?.(id)}>
      <h3>{title}</h3>
      {subtitle ? <p>{subtitle}</p> : null}
    </div>
  );
}
