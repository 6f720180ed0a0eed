/** Assessment, bonus sheet, managers' allocations and month close (SPEC §4.3–§4.6, §6). */
export { getAssessment, compareClosed, liveAssessment, type Assessment, type AssessmentUnit, type BonusPerson, type ClosedComparison, type Difference, type Outcome } from './assessment.ts';
export { setAllocation, clearAllocation, getAllocation, type AllocationPart, type SetAllocationArgs, type TeamAllocation } from './allocation.ts';
export { closeMonth, reopenMonth, listCloses, type CloseRecord } from './close.ts';
export { writeAudit, listAudit, type AuditEntry, type AuditEvent, type AuditQuery } from './audit.ts';
export { AssessmentError, type Problem } from './errors.ts';
