import type { Flag, Passage } from '../../contract/contract.ts';
import type { ContradictionJudge } from '../services/types.ts';
import { draftCandidates, type DraftDeps, type DraftRequest } from './draft.ts';
import { conflicts, emptyLedger, factSentence, forget, Ledger, ledgerFile, planFacts, record, type Conflict } from './ledger.ts';
import type { PipelineStore } from './store-port.ts';
import { patternExtractor, type FactExtractor } from './facts.ts';

export interface CheckDeps {
  store: PipelineStore;
  judge: ContradictionJudge;
  /** Default: pattern extraction. */
  extract?: FactExtractor;
  emit: DraftDeps['emit'];
  dir: string;
}
export type ReviseDeps = CheckDeps & DraftDeps;
type FixRequest = Omit<DraftRequest, 'mustKeep' | 'passageId'>;

export function loadLedger(store: PipelineStore): Ledger {
  const raw = store.readJson<unknown>(ledgerFile);
  const parsed = raw === null ? null : Ledger.safeParse(raw);
  if (parsed?.success) return parsed.data;
  return record(emptyLedger(), planFacts(store.plan().characters));
}

/** Contradictions between a text and the ledger that the judge confirms (exclusive values need no judge). */
export async function contradictions(ledger: Ledger, text: string, names: string[], source: string, judge: ContradictionJudge, extract: FactExtractor = patternExtractor): Promise<Conflict[]> {
  const found: Conflict[] = [];
  for (const c of conflicts(forget(ledger, source), await extract(text, names, source))) {
    if (c.certain || (await judge.contradicts(factSentence(c.established), c.claim.sentence)).contradicts) found.push(c);
  }
  return found;
}

export const flagId = (passageId: string, c: Conflict) => `${passageId}:${c.claim.entity}:${c.claim.attribute}`;

/**
 * The revise step for one accepted passage: check its facts against the ledger, raise a flag per contradiction,
 * try one fix (a redraft with the violated facts stated) kept only if it is consistent and scores at least as
 * well, then record the passage's facts. Text the user wrote is checked but never rewritten.
 */
export async function revisePassage(deps: CheckDeps, passage: Passage, fix: { deps: DraftDeps; request: FixRequest } | null): Promise<Passage> {
  const { store } = deps;
  const names = store.plan().characters.map((c) => c.name);
  let ledger = forget(loadLedger(store), passage.id);
  const found = await contradictions(ledger, passage.text, names, passage.id, deps.judge, deps.extract);
  let current = passage;
  const flags: Flag[] = [];
  for (const c of found) {
    const flag: Flag = { id: flagId(passage.id, c), passageId: passage.id, entity: c.claim.entity, fact: factSentence(c.established), evidence: c.claim.sentence, status: 'open' };
    const previous = store.flags().find((f) => f.id === flag.id);
    if (previous && previous.status !== 'open') continue; // the user already decided
    await store.saveFlag(flag);
    deps.emit({ type: 'flag.raised', dir: deps.dir, flag });
    flags.push(flag);
  }
  if (flags.length > 0 && fix && !passage.editedByUser) {
    const fixed = await tryFix({ ...fix.deps, ...deps }, current, fix.request, flags.map((f) => f.fact), ledger, names);
    // Never overwrite text the user changed while the fix was being drafted.
    const now = store.passages().find((p) => p.id === passage.id);
    if (fixed && now && !now.editedByUser && now.text === passage.text) {
      current = fixed;
      await store.updatePassage(current);
      for (const f of flags) {
        const updated: Flag = { ...f, status: 'fixed' };
        await store.saveFlag(updated);
        deps.emit({ type: 'flag.updated', dir: deps.dir, flag: updated });
      }
    }
  }
  ledger = record(ledger, await (deps.extract ?? patternExtractor)(current.text, names, current.id));
  await store.writeJson(ledgerFile, ledger);
  return current;
}

/** A redraft with `facts` stated, kept only if it no longer contradicts the ledger and scores at least as well. */
export async function tryFix(deps: ReviseDeps, passage: Passage, draft: FixRequest, facts: string[], ledger: Ledger, names: string[]): Promise<Passage | null> {
  const original = passage.candidates[passage.chosen];
  const redraft = await draftCandidates(deps, { ...draft, passageId: passage.id, mustKeep: facts });
  const ranked = redraft.candidates.map((c, i) => ({ c, i })).sort((a, b) => b.c.scores.combined - a.c.scores.combined);
  for (const { c } of ranked) {
    if (original && c.scores.combined < original.scores.combined) break;
    if ((await contradictions(ledger, c.text, names, passage.id, deps.judge, deps.extract)).length > 0) continue;
    const candidates = [...passage.candidates, c];
    return { ...passage, text: c.text, chosen: candidates.length - 1, candidates };
  }
  return null;
}
