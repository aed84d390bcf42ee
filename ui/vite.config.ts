import { defineConfig } from "vite";

// Tauri serves ui/dist from its own protocol. The dev server's port and host must
// match devUrl in tauri.conf.json (http://localhost:5173), hence strictPort.
export default defineConfig({
  // Preact's automatic JSX runtime through Vite's built-in Oxc transform: this avoids
  // pulling in Babel via @preact/preset-vite just to compile JSX.
  oxc: {
    jsx: { runtime: "automatic", importSource: "preact" },
  },
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // Keep every asset a file served from 'self' rather than a data: URL, so the
    // strict CSP never has to allow more.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
});
