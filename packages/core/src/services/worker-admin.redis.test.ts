/** Worker controls and job behaviour on BullMQ's redis backend (the suite is shared with the other backend). */
import { defineWorkerAdminSuite } from "../testing/worker-admin-suite";

defineWorkerAdminSuite("redis");
