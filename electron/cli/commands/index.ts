import type { Command } from '../command.ts';
import { doctor } from './doctor.ts';
import { generate } from './generate.ts';
import { convertLlama2c } from './convert-llama2c.ts';
import { exportCommand } from './export.ts';
import { project } from './project.ts';
import { models } from './models.ts';
import { score } from './score.ts';
import { rerank } from './rerank.ts';
import { write } from './write.ts';

/** Every CLI command; each lives in its own file beside this one. */
export const commands: Command[] = [doctor, generate, convertLlama2c, models, project, exportCommand, score, rerank, write];
