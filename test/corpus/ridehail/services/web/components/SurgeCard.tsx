import React from "react";

export interface SurgeCardProps {
  title: string;
  subtitle?: string;
  onSelect?: (id: string) => void;
  id: string;
}

export function SurgeCard({ title, subtitle, onSelect, id }: SurgeCardProps) {
  return (
    <div className="card card-1" onClick={() => onSelect?.(id)}>
      <h3>{title}</h3>
      {subtitle ? <p>{subtitle}</p> : null}
    </div>
  );
}
