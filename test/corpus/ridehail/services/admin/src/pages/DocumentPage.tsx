import React from "react";
import { DocumentCard } from "../../../web/components/DocumentCard";

export default function DocumentPage() {
  return <DocumentCard id="document" title="Documents" />;
}
