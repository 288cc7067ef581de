import {
  CLIENT_TRANSPORTS,
  CLIENT_TYPES,
  EVENT_LEVELS,
  LOG_PAYLOAD_POLICIES,
  NEW_TOOL_POLICIES,
  SERVER_EVENT_CATEGORIES,
  SERVER_ISOLATIONS,
  SERVER_STATUSES,
  SERVER_TRANSPORTS,
  TEAM_ROLES,
  TOOL_CALL_STATUSES,
  WORKER_RUN_STATUSES,
  WORKER_TRIGGERS,
} from "@switchyard/shared";
import { pgEnum } from "drizzle-orm/pg-core";

export const teamRoleEnum = pgEnum("team_role", TEAM_ROLES);
export const serverTransportEnum = pgEnum("server_transport", SERVER_TRANSPORTS);
export const serverIsolationEnum = pgEnum("server_isolation", SERVER_ISOLATIONS);
export const serverStatusEnum = pgEnum("server_status", SERVER_STATUSES);
export const clientTransportEnum = pgEnum("client_transport", CLIENT_TRANSPORTS);
export const clientTypeEnum = pgEnum("client_type", CLIENT_TYPES);
export const toolCallStatusEnum = pgEnum("tool_call_status", TOOL_CALL_STATUSES);
export const logPayloadPolicyEnum = pgEnum("log_payload_policy", LOG_PAYLOAD_POLICIES);
export const newToolPolicyEnum = pgEnum("new_tool_policy", NEW_TOOL_POLICIES);
export const eventLevelEnum = pgEnum("event_level", EVENT_LEVELS);
export const serverEventCategoryEnum = pgEnum("server_event_category", SERVER_EVENT_CATEGORIES);
export const workerTriggerEnum = pgEnum("worker_trigger", WORKER_TRIGGERS);
export const workerRunStatusEnum = pgEnum("worker_run_status", WORKER_RUN_STATUSES);
