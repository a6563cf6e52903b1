import type { TaskList } from 'graphile-worker';
import type { Temporal } from 'temporal-polyfill';
import { z } from 'zod';
import type { Db } from '../db/index';
import { enqueueUnsentOutboxEmails } from '../db/queries/email-outbox';
import type { MailSender } from '../mail/sender';
import { runRetention } from '../services/retention';
import { deliverOutboxEmail } from './send-email';

export const SEND_EMAIL = 'send-email';
export const SWEEP_OUTBOX = 'sweep-outbox';

export const RETENTION = 'retention';

/** How often the sweep looks for messages without a job (graphile-worker crontab syntax). */
export const SWEEP_CRONTAB = `*/5 * * * * ${SWEEP_OUTBOX} ?max=1&jobKey=${SWEEP_OUTBOX}`;

/**
 * §22(6): the retention job, daily at 00:30 UTC (01:30 or 02:30 in Prague), just after an
 * election falls due at 00:00 Prague (domain/retention.ts). One job at a time (jobKey); a run
 * missed while the portal was down is made up at start within a day (fill).
 */
export const RETENTION_CRONTAB = `30 0 * * * ${RETENTION} ?fill=1d&max=3&jobKey=${RETENTION}`;

/** Every scheduled task of the portal, one crontab line each. */
export const CRONTAB = [SWEEP_CRONTAB, RETENTION_CRONTAB].join('\n');

const sendEmailPayload = z.object({ id: z.uuid() });

export interface TaskDependencies {
	db: Db;
	sender: MailSender;
	now: () => Temporal.Instant;
}

/** Enqueues every unsent message without a job, in batches; returns how many were added. */
export async function sweepOutbox(db: Db): Promise<number> {
	let total = 0;
	for (;;) {
		const added = await enqueueUnsentOutboxEmails(db);
		total += added;
		if (added < 1000) return total;
	}
}

export function createTaskList(deps: TaskDependencies): TaskList {
	return {
		[SEND_EMAIL]: async (payload, helpers) => {
			const parsed = sendEmailPayload.safeParse(payload);
			if (!parsed.success) {
				// A malformed job can never succeed: log it and let it end instead of retrying.
				helpers.logger.error(`send-email job ${helpers.job.id} has an invalid payload`);
				return;
			}
			const outcome = await deliverOutboxEmail(deps.db, parsed.data.id, deps.sender, deps.now());
			helpers.logger.debug(`e-mail ${parsed.data.id}: ${outcome}`);
		},
		[SWEEP_OUTBOX]: async (_payload, helpers) => {
			const added = await sweepOutbox(deps.db);
			if (added) helpers.logger.info(`sweep-outbox enqueued ${added} e-mail(s) that had no job`);
		},
		[RETENTION]: async (_payload, helpers) => {
			const result = await runRetention(deps.db, { kind: 'system' }, deps.now());
			if (result.kind !== 'ok') return;
			const { elections, eidSessionsDeleted } = result.report;
			// Ids and counts only: the audit log has the details, and nothing personal goes to the log.
			helpers.logger.info(`retention: ${elections.length} election(s) [${elections.map((e) => e.electionId).join(', ')}], ${eidSessionsDeleted} expired eID session(s)`);
		}
	};
}
