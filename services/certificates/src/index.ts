export { type Follower, type Milestone, milestones, planLapses } from './lapses/lapse-plan.js';
export { LapseScheduler, type LapseSchedulerDeps, type ScanResult } from './lapses/lapse-scheduler.js';
export { applyScheduleEvent } from './schedule/apply-event.js';
export {
  type LinkDoc,
  linkDocs,
  type MarkRecord,
  markRecords,
  type PolicyDoc,
  policyDocs,
  type ScheduleDoc,
  scheduleDocs,
} from './schedule/schedule-docs.js';
export { CERTIFICATES_GROUP, certificatesService } from './service.js';
