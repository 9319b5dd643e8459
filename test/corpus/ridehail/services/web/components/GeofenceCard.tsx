import React from "react";

export interface GeofenceCardProps {
  title: string;
  subtitle?: string;
  onSelect?: (id: string) => void;
  id: string;
}

export function GeofenceCard({ title, subtitle, onSelect, id }: GeofenceCardProps) {
  return (
    <div className="card card-2" onClick={() => onSelect?.(id)}>
      <h3>{title}</h3>
      {subtitle ? <p>{subtitle}</p> : null}
    </div>
  );
}
