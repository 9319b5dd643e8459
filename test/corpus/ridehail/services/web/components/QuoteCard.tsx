import React from "react";

export interface QuoteCardProps {
  title: string;
  subtitle?: string;
  onSelect?: (id: string) => void;
  id: string;
}

export function QuoteCard({ title, subtitle, onSelect, id }: QuoteCardProps) {
  return (
    <div className="card card-0" onClick={() => onSelect?.(id)}>
      <h3>{title}</h3>
      {subtitle ? <p>{subtitle}</p> : null}
    </div>
  );
}
