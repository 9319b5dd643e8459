import React from "react";

export interface ReferralCardProps {
  title: string;
  subtitle?: string;
  onSelect?: (id: string) => void;
  id: string;
}

export function ReferralCard({ title, subtitle, onSelect, id }: ReferralCardProps) {
  return (
    <div className="card card-0" onClick={() => onSelect?.(id)}>
      <h3>{title}</h3>
      {subtitle ? <p>{subtitle}</p> : null}
    </div>
  );
}
