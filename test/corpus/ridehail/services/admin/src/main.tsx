import React from "react";
import { createRoot } from "react-dom/client";
import { apiBase } from "./env";

createRoot(document.getElementById("root")!).render(<p>Admin for {apiBase}</p>);
