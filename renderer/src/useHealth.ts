import { useEffect, useState } from 'react';
import { api, request } from './api/client.ts';

export interface Health {
  state: 'checking' | 'healthy' | 'down';
  detail: string;
  version?: string;
}

/** The engine's health, asked through the contract and kept fresh by its events. */
export function useHealth(): Health {
  const [health, setHealth] = useState<Health>({ state: 'checking', detail: 'Connecting to the engine…' });
  useEffect(() => {
    let alive = true;
    const check = () =>
      request('system.health', {}).then(
        (h) => alive && setHealth({ state: 'healthy', version: h.version, detail: `Engine ${h.version} ready (${h.host})` + (h.generator.loaded ? ` · ${h.generator.modelName ?? 'model'} on ${h.generator.provider}` : ' · no model loaded') }),
        (e: Error) => alive && setHealth({ state: 'down', detail: e.message }),
      );
    void check();
    const off = api.onEvent((ev) => {
      if (ev.type === 'engine.health') {
        if (ev.ok) void check();
        else setHealth({ state: 'down', detail: ev.message ?? 'Engine unavailable' });
      }
    });
    return () => {
      alive = false;
      off();
    };
  }, []);
  return health;
}
