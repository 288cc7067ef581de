/** `@switchyard/core/queues`: the job queues' producer side (definitions, enqueueing refreshes), which the console uses too. */
export * from "./definitions";
export * from "./queue-backend";
export * from "./job-queues";
export * from "./refresh-requests";
