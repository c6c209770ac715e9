import type { Handlers } from '../engine.ts';
import { pending } from './pending.ts';

type ProjectRequests = Extract<keyof Handlers, `project.${string}`>;

export const projectHandlers: Pick<Handlers, ProjectRequests> = pending(
  [
    'project.create', 'project.open', 'project.close', 'project.recent', 'project.saveDocument', 'project.savePlan',
    'project.snapshot.create', 'project.snapshot.list', 'project.snapshot.restore', 'project.snapshot.diff', 'project.export',
  ],
  'project storage',
);
