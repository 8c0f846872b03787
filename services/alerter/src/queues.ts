// The BullMQ queues the alerter adds to or shows: street queues (bull-board), district queues
// (escalations), referrals.charity and the timer queue, one shared QueueSet on the BullMQ connection.
export { QueueSet } from '@warnline/runtime';

/** Internal queue of delayed jobs that fire when a time limit passes (not part of the contract). */
export const TIMER_QUEUE = 'alerter.timers';
