import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

/** The web page: built into dist/web and served by the cosell server. `npm run dev:web` proxies /api to it. */
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/",
  oxc: { jsx: { runtime: "automatic" } },
  build: {
    outDir: fileURLToPath(new URL("../../dist/web", import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
  },
  server: { proxy: { "/api": "http://127.0.0.1:3000" } },
});
