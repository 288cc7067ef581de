import nextPlugin from "@next/eslint-plugin-next";
import base from "@switchyard/eslint-config";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

// The shared setup plus the rules of hooks (with the React Compiler's checks) and Next's own rules.
export default tseslint.config(
  ...base,
  reactHooks.configs.flat.recommended,
  nextPlugin.configs["core-web-vitals"],
  { rules: { "react-hooks/exhaustive-deps": "error" } },
);
