import type { Command } from '../command.ts';
import { doctor } from './doctor.ts';

/** Every CLI command; each lives in its own file beside this one. */
export const commands: Command[] = [doctor];
