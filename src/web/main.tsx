/** The page's entry: the interface language is chosen before the first render. */
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app.js";
import { detectLanguage } from "./locale.js";
import { setLanguage } from "./messages.js";
import "./styles.css";

setLanguage(detectLanguage());
const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
