import base from "@switchyard/eslint-config";

export default base;
