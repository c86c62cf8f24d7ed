/**
 * The `retention-purge` Temporal Schedule: once a day, 03:00 Asia/Shanghai, it runs retentionPurgeWorkflow, which
 * removes what has outlived the periods set at /admin/retention. Created (or brought up to date) at start-up, next to
 * the shops' pull schedules.
 */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';

export const RETENTION_SCHEDULE_ID = 'retention-purge';

function retentionSchedule(taskQueue: string): ScheduleOptions {
  return {
    scheduleId: RETENTION_SCHEDULE_ID,
    spec: { calendars: [{ hour: 3, minute: 0 }], timezone: 'Asia/Shanghai' },
    action: { type: 'startWorkflow', workflowType: 'retentionPurgeWorkflow', workflowId: RETENTION_SCHEDULE_ID, taskQueue, args: [{}] },
    // One purge at a time; a day missed while the servers were down is caught up within a day.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    state: { note: '每天清理超过保留期限的打印 PDF、原始单和访问日志' },
  };
}

/** Creates the schedule, or updates its time and queue when it exists; returns its id. */
export async function ensureRetentionSchedule(client: Client, taskQueue: string): Promise<string> {
  const options = retentionSchedule(taskQueue);
  try {
    await client.schedule.create(options);
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(RETENTION_SCHEDULE_ID).update((prev) => ({
      ...prev,
      spec: options.spec,
      action: { ...prev.action, ...options.action } as typeof prev.action,
      policies: { ...prev.policies, ...options.policies },
    }));
  }
  return RETENTION_SCHEDULE_ID;
}
