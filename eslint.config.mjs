import next from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...next,
  ...nextTs,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { ignoreRestSiblings: true, argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // TanStack Table returns a mutable instance the React Compiler cannot memoise; the members
    // table opts out of the compiler ("use no memo"), so the rule's warning does not apply there.
    files: ["components/members/members-table.tsx"],
    rules: { "react-hooks/incompatible-library": "off" },
  },
  { ignores: [".next/**", "node_modules/**", "drizzle/**", ".data/**", "playwright-report/**", "test-results/**", "next-env.d.ts"] },
];

export default config;
