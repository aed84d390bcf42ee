import { defineConfig, mergeConfig } from "vitest/config";
import viteConfig from "./vite.config.ts";

// Dates are shown in the clinic's time zone; pin it so formatting tests give the
// same answer on every machine. Set here, before the test workers start, so they
// inherit it (Intl reads the default time zone when a formatter is created).
process.env.TZ = "Asia/Tokyo";

// Unit tests of the UI's logic. The JSX transform comes from vite.config.ts.
// Tests run in Node; a test file that needs a DOM says so with a
// `// @vitest-environment happy-dom` comment at its top.
export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      include: ["src/**/*.test.{ts,tsx}"],
      environment: "node",
      restoreMocks: true,
    },
  }),
);
