/** What the desk does: open/create projects, edit and save the plan, drive the pipeline, and follow engine events. */
import type { DocKind, EngineEvent, Flag, Plan, ProjectState, RequestArgs } from '../../../electron/contract/contract.ts';
import { api } from '../api/client.ts';
import { attempt } from '../api/call.ts';
import { getState, notify, notifyError, setState } from './store.ts';
import { getEditor } from '../editor/editorRef.ts';
import { tr } from '../i18n/i18n.ts';

const LAST_PROJECT = 'longhand.lastProject';

function remember(dir: string | null): void {
  try {
    if (dir) localStorage.setItem(LAST_PROJECT, dir);
    else localStorage.removeItem(LAST_PROJECT);
  } catch {
    /* storage unavailable: the app just won't reopen it next time */
  }
}

/** Reopens the project that was open when the app last closed, if it still opens. */
export async function reopenLast(): Promise<void> {
  let dir: string | null = null;
  try {
    dir = localStorage.getItem(LAST_PROJECT);
  } catch {
    return;
  }
  if (!dir) return;
  const p = await attempt('project.open', { dir }, { quiet: true });
  if (p) loadProject(p);
  else remember(null);
}

export function loadProject(p: ProjectState, opts: { keepEditor?: boolean } = {}): void {
  remember(p.summary.dir);
  const passages = Object.fromEntries(p.passages.map((x) => [x.id, x]));
  const keep = opts.keepEditor && !p.document;
  setState((s) => ({
    dir: p.summary.dir,
    summary: p.summary,
    plan: p.plan,
    passages,
    live: {},
    flags: p.flags,
    pipeline: p.pipeline,
    save: 'saved',
    document: p.document,
    docNonce: keep ? s.docNonce : s.docNonce + 1,
  }));
  for (const r of p.recovered) notify('info', tr('notice.recovered', { file: r.file, reason: r.reason, movedTo: r.movedTo }));
  void refreshReferences();
}

export async function createProject(title: string, kind: DocKind, premise: string): Promise<boolean> {
  const p = await attempt('project.create', { title, kind, premise });
  if (!p) return false;
  // Keep what was typed into the plan before a project existed.
  const local = getState().plan;
  loadProject(p, { keepEditor: true });
  const editor = getEditor();
  if (editor && !editor.getEditorState().isEmpty()) void saveDocument(editor.getEditorState().toJSON() as unknown as Record<string, unknown> & { root: Record<string, unknown> });
  if (local.characters.length || local.outline.length || local.setting) {
    setPlan({ ...p.plan, characters: p.plan.characters.length ? p.plan.characters : local.characters, outline: p.plan.outline.length ? p.plan.outline : local.outline, setting: p.plan.setting || local.setting });
  }
  return true;
}

export async function openProject(dir: string): Promise<boolean> {
  const p = await attempt('project.open', { dir });
  if (!p) return false;
  loadProject(p);
  return true;
}

let planTimer: ReturnType<typeof setTimeout> | null = null;

/** Replaces the plan in the UI at once and saves it shortly after the last edit. */
export function setPlan(plan: Plan): void {
  setState({ plan });
  if (planTimer) clearTimeout(planTimer);
  planTimer = setTimeout(() => void savePlanNow(), 700);
}

export function updatePlan(patch: Partial<Plan>): void {
  setPlan({ ...getState().plan, ...patch });
}

export async function savePlanNow(): Promise<void> {
  if (planTimer) clearTimeout(planTimer);
  planTimer = null;
  const { dir, plan } = getState();
  if (!dir) return;
  setState({ save: 'saving' });
  const r = await attempt('project.savePlan', { dir, plan });
  setState({ save: r ? 'saved' : 'error' });
}

export async function saveDocument(document: Record<string, unknown> & { root: Record<string, unknown> }): Promise<void> {
  const { dir } = getState();
  if (!dir) {
    setState({ save: 'local' });
    return;
  }
  setState({ save: 'saving' });
  const r = await attempt('project.saveDocument', { dir, document });
  setState({ save: r ? 'saved' : 'error' });
}

function needDir(): string | null {
  const { dir } = getState();
  if (!dir) notify('error', tr('notice.needProject'), tr('notice.needProjectHint'));
  return dir;
}

export async function generatePlan(part: NonNullable<RequestArgs<'plan.generate'>['part']> = 'all'): Promise<void> {
  const dir = needDir();
  if (!dir) return;
  await savePlanNow();
  const plan = await attempt('plan.generate', { dir, part });
  if (plan) setState({ plan });
}

export async function expandPoint(pointId: string): Promise<void> {
  const dir = needDir();
  if (!dir) return;
  await savePlanNow();
  const plan = await attempt('plan.expand', { dir, pointId });
  if (plan) setState({ plan });
}

export async function pipeline(action: 'write.start' | 'write.pause' | 'write.resume' | 'write.stop'): Promise<void> {
  const dir = needDir();
  if (!dir) return;
  if (action === 'write.start') await savePlanNow();
  const state = action === 'write.start' ? await attempt(action, { dir, options: {} }) : await attempt(action, { dir });
  if (state) setState({ pipeline: state });
}

export async function resolveFlag(flagId: string, action: 'fix' | 'dismiss' | 'keep'): Promise<void> {
  const dir = needDir();
  if (!dir) return;
  const flag = await attempt('flag.resolve', { dir, flagId, action });
  if (flag) upsertFlag(flag);
}

function upsertFlag(flag: Flag): void {
  setState((s) => ({ flags: s.flags.some((f) => f.id === flag.id) ? s.flags.map((f) => (f.id === flag.id ? flag : f)) : [...s.flags, flag] }));
}

export async function refreshReferences(): Promise<void> {
  const { dir } = getState();
  if (!dir) return;
  const list = await attempt('reference.list', { dir }, { quiet: true });
  if (list) setState({ references: list });
}

export async function addReference(name: string, text: string): Promise<void> {
  const dir = needDir();
  if (!dir) return;
  if (await attempt('reference.add', { dir, name, text })) await refreshReferences();
}

export async function removeReference(name: string): Promise<void> {
  const dir = needDir();
  if (!dir) return;
  if (await attempt('reference.remove', { dir, name })) await refreshReferences();
}

export async function refreshGenerator(): Promise<void> {
  const g = await attempt('generator.status', {}, { quiet: true });
  if (g) setState({ generator: g });
}

/** Follows the engine's events for the open project (document streaming is handled by the editor itself). */
export function followEngine(): () => void {
  void refreshGenerator();
  return api.onEvent((ev: EngineEvent) => {
    const dir = getState().dir;
    switch (ev.type) {
      case 'generator.status':
        setState({ generator: ev.status });
        break;
      case 'engine.health':
        if (ev.ok) void refreshGenerator();
        break;
      case 'error':
        notifyError(ev.error);
        break;
      case 'project.recovered':
        if (ev.dir === dir) notify('info', `Recovered: ${ev.files.join(', ')}`);
        break;
      default:
        if (!('dir' in ev) || ev.dir !== dir) return;
        switch (ev.type) {
          case 'pipeline.state':
            setState({ pipeline: ev.state });
            break;
          case 'plan.part':
            setState({ plan: ev.plan });
            break;
          case 'passage.tokens':
            setState((s) => {
              const cur = s.live[ev.passageId] ?? [];
              const next = [...cur];
              next[ev.candidate] = (next[ev.candidate] ?? '') + ev.text;
              return { live: { ...s.live, [ev.passageId]: next } };
            });
            break;
          case 'passage.scored':
            setState((s) => {
              const existing = s.passages[ev.passageId];
              if (!existing) return {};
              return { passages: { ...s.passages, [ev.passageId]: { ...existing, candidates: ev.candidates } } };
            });
            break;
          case 'passage.accepted':
            setState((s) => {
              const { [ev.passage.id]: _, ...live } = s.live;
              return { passages: { ...s.passages, [ev.passage.id]: ev.passage }, live };
            });
            break;
          case 'flag.raised':
          case 'flag.updated':
            upsertFlag(ev.flag);
            break;
          case 'project.saved':
            setState({ save: 'saved' });
            break;
        }
    }
  });
}
