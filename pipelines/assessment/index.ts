/** Assessment, bonus sheet, managers' allocations and month close (SPEC §4.3–§4.6, §6). */
export { getAssessment, compareClosed, liveAssessment } from './assessment.ts';
export { setAllocation, clearAllocation, getAllocation, type AllocationPart, type SetAllocationArgs } from './allocation.ts';
export { closeMonth, reopenMonth, listCloses } from './close.ts';
export { writeAudit, listAudit, type AuditEvent, type AuditQuery } from './audit.ts';
export { AssessmentError, type Problem } from './errors.ts';
