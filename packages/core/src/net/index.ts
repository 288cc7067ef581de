/** `@switchyard/core/net`: which network addresses upstream servers may be reached at. */
export * from "./address-policy";
