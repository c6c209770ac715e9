import fs from 'node:fs';
import path from 'node:path';
import type { ProjectSummary } from '../../contract/contract.ts';
import { fail } from '../errors.ts';
import type { Handlers } from '../engine.ts';
import { exportProject } from '../export/index.ts';
import { ProjectReader } from '../project/readonly.ts';
import { readRecent } from '../project/recent.ts';

type ProjectRequests = Extract<keyof Handlers, `project.${string}`>;

function slug(title: string): string {
  return title.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'untitled';
}

/** A new folder under the data folder's projects/ for a project created without a path. */
function defaultDir(projectsDir: string, title: string): string {
  const base = path.join(projectsDir, slug(title));
  let dir = base;
  for (let i = 2; fs.existsSync(dir); i++) dir = `${base}-${i}`;
  return dir;
}

export const projectHandlers: Pick<Handlers, ProjectRequests> = {
  'project.create': async (args, { services, paths }) => {
    const dir = args.dir ?? defaultDir(paths.projects, args.title);
    const store = await services.projects.create(dir, { title: args.title, kind: args.kind, premise: args.premise });
    return store.state();
  },
  'project.open': async ({ dir }, { services }) => (await services.projects.open(dir)).state(),
  'project.duplicate': async ({ dir, to }, { services }) => (await services.projects.duplicate(dir, to)).state(),
  'project.close': async ({ dir }, { services }) => ({ closed: await services.projects.close(dir) }),
  'project.recent': async (_args, { services, paths }) => {
    const out: ProjectSummary[] = [];
    for (const { dir, summary } of await readRecent(paths.recent)) {
      try {
        const open = services.projects.get(dir);
        if (open) out.push((await open).summary());
        else if (summary && fs.existsSync(path.join(dir, 'manifest.json'))) out.push(summary);
        else out.push((await ProjectReader.load(dir)).summary());
      } catch {
        // moved or deleted since: left out of the list
      }
    }
    return out;
  },
  'project.saveDocument': async ({ dir, document }, { services, emit }) => {
    await (await services.projects.open(dir)).saveDocument(document);
    const savedAt = new Date().toISOString();
    emit({ type: 'project.saved', dir: path.resolve(dir), at: savedAt });
    return { savedAt };
  },
  'project.savePlan': async ({ dir, plan }, { services, emit }) => {
    await (await services.projects.open(dir)).savePlan(plan);
    const savedAt = new Date().toISOString();
    emit({ type: 'project.saved', dir: path.resolve(dir), at: savedAt });
    return { savedAt };
  },
  'project.snapshot.create': async ({ dir, name }, { services }) => (await services.projects.open(dir)).snapshots.create(name),
  'project.snapshot.list': async ({ dir }, { services }) => (await services.projects.open(dir)).snapshots.list(),
  'project.snapshot.restore': async ({ dir, id }, { services }) => {
    const store = await services.projects.open(dir);
    await store.snapshots.restore(id);
    return store.state();
  },
  'project.snapshot.diff': async ({ dir, from, to }, { services }) => (await services.projects.open(dir)).snapshots.diff(from, to),
  'project.export': async (args, { services, emit }) => {
    const view = await services.projects.read(args.dir);
    const damaged = view instanceof ProjectReader ? view.problems.filter((p) => p.severity === 'damaged') : [];
    if (damaged.length) {
      fail('bad_input', `The project has damaged files: ${damaged.map((p) => p.reason).join('; ')}.`, {
        file: path.join(view.dir, damaged[0]!.file),
        hint: 'Open the project in Longhand to recover it (damaged files are set aside and the last good snapshot is used), then export again. `longhand project check` lists the damage.',
      });
    }
    const task = `export:${args.out}`;
    const htmlToPdf = services.htmlToPdf ?? undefined;
    return exportProject(view, { ...args, htmlToPdf }, (done, total, label) => emit({ type: 'progress', task, label, done, total }));
  },
};
