// bull-board at /admin/queues: every queue the alerter knows (street, district, charity, timers), added as
// they appear. Access is the `guard` hook, registered inside the board's own encapsulated scope so that it
// runs for every route of the board (pages, static files, API) whatever spelling of the URL reached it. A
// browser can log in with Basic auth (any user name, the admin token as password), since it cannot send a
// bearer header itself.
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify';
import type { QueueSet } from './queues.ts';

export const BOARD_PATH = '/admin/queues';

export function registerBoard(app: FastifyInstance, queues: QueueSet, guard: onRequestAsyncHookHandler): void {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BOARD_PATH);
  // npm installed @bull-board/api 9.10.2 here and 9.10.1 beside @bull-board/fastify: the same interface
  // declared twice, which TypeScript cannot unify (private members). Aligning the two versions removes the cast.
  const adapter = serverAdapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'];
  const board = createBullBoard({ queues: queues.all().map((q) => new BullMQAdapter(q)), serverAdapter: adapter });
  queues.onQueue((q) => board.addQueue(new BullMQAdapter(q)));
  void app.register(
    async (scope) => {
      scope.addHook('onRequest', guard);
      await scope.register(serverAdapter.registerPlugin());
    },
    { prefix: BOARD_PATH },
  );
}
