import React from "react";

export interface DisputeCardProps {
  title: string;
  subtitle?: string;
  onSelect?: (id: string) => void;
  id: string;
}

export function DisputeCard({ title, subtitle, onSelect, id }: DisputeCardProps) {
  return (
    <div className="card card-2" onClick={() => onSelect?.(id)}>
      <h3>{title}</h3>
      {subtitle ? <p>{subtitle}</p> : null}
    </div>
  );
}
