// @ts-check
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

export default defineConfig(
  { ignores: ["dist/", "node_modules/"] },
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // All backend access must go through src/api so the IPC surface stays in one place.
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@tauri-apps/*"],
              message: "Call the backend through src/api only.",
            },
          ],
        },
      ],
      // Numbers in template strings are common in UI text (counts, ages) and harmless.
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
    },
  },
  {
    // This config file is plain JS outside tsconfig, so it gets the untyped rules only.
    files: ["**/*.js"],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ["src/api/**"],
    rules: { "no-restricted-imports": "off" },
  },
  {
    // Written in ts-rs's output style, since ts-rs will overwrite them.
    files: ["src/api/bindings.ts", "src/api/commands.ts"],
    rules: {
      "@typescript-eslint/consistent-type-definitions": "off",
      "@typescript-eslint/array-type": "off",
    },
  },
);
