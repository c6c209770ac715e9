import { describe, expect, it } from 'vitest';
import { EngineEvent, parseRequest, requestNames } from './contract.ts';

describe('contract', () => {
  it('rejects an unknown request with the list of known ones', () => {
    const r = parseRequest('system.nope', {});
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('unknown_request');
      expect(r.error.hint).toContain('system.health');
    }
  });

  it('names the failing field of a malformed request', () => {
    const r = parseRequest('generator.generate', { requestId: 'a', prompt: 'x', candidates: 0 });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_request', field: 'candidates' } });
  });

  it('applies defaults to valid requests', () => {
    const r = parseRequest('generator.generate', { requestId: 'a', prompt: 'hello' });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.args).toMatchObject({ candidates: 1, options: {} });
  });

  it('treats a missing argument object as empty, and non-objects as invalid', () => {
    expect(parseRequest('system.health', undefined).ok).toBe(true);
    expect(parseRequest('system.health', 'str')).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('has unique dotted request names and validates events', () => {
    expect(new Set(requestNames).size).toBe(requestNames.length);
    for (const n of requestNames) expect(n).toMatch(/^[a-z]+(\.[a-zA-Z]+)+$/);
    expect(EngineEvent.safeParse({ type: 'progress', task: 't', label: 'l', done: 1, total: 2 }).success).toBe(true);
    expect(EngineEvent.safeParse({ type: 'progress', task: 't' }).success).toBe(false);
  });
});
