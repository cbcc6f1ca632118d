import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Answers, observedQueues, Roles } from '#lx/http';

const STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

export const QueuesAnswer = z.strictObject({
  items: z.array(
    z.strictObject({
      queue: z.string().describe('The BullMQ queue, as `<prefix>:<name>`'),
      waiting: z.int(),
      active: z.int(),
      delayed: z.int(),
      failed: z.int(),
      completed: z.int(),
      reachable: z.boolean().describe('False when Redis did not answer for this queue'),
    }),
  ),
});

/** The queues of this app as JSON, for the console's system page (the dashboard shows the jobs). */
@ApiTags('operator: system')
@Roles('operator')
@Controller('v1/system/queues')
export class SystemQueuesController {
  @Get()
  @Answers(QueuesAnswer, { description: 'Jobs per state of each queue this app uses, counted in Redis' })
  @ApiOperation({
    summary: 'The BullMQ queues this app uses: waiting, active, delayed, failed and completed jobs',
  })
  async list() {
    const items = await Promise.all(
      observedQueues().map(async (queue) => {
        const counts = await queue.getJobCounts(...STATES).catch(() => null);
        return {
          queue: `${queue.opts.prefix ?? 'bull'}:${queue.name}`,
          ...Object.fromEntries(STATES.map((state) => [state, counts?.[state] ?? 0])),
          reachable: counts !== null,
        } as z.infer<typeof QueuesAnswer>['items'][number];
      }),
    );
    return { items: items.sort((a, b) => a.queue.localeCompare(b.queue)) };
  }
}
