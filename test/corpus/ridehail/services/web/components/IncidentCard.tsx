import React from "react";

export interface IncidentCardProps {
  title: string;
  subtitle?: string;
  onSelect?: (id: string) => void;
  id: string;
}

export function IncidentCard({ title, subtitle, onSelect, id }: IncidentCardProps) {
  return (
    <div className="card card-1" onClick={() => onSelect?.(id)}>
      <h3>{title}</h3>
      {subtitle ? <p>{subtitle}</p> : null}
    </div>
  );
}
