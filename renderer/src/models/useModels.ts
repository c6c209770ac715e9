/** The Models dialog's state: catalog, installed models, roles, hardware, downloads in progress, errors. */
import { useCallback, useEffect, useState } from 'react';
import type { ApiError, CatalogEntry, EngineEvent, GeneratorStatus, InstalledModel, ModelRole, RequestArgs, RequestName, RequestResult } from '../../../electron/contract/contract.ts';
import { api, request } from '../api/client.ts';

export type Progress = Extract<EngineEvent, { type: 'download.progress' }>;
export type Hardware = RequestResult<'models.hardware'>;

export interface ModelsState {
  catalog: CatalogEntry[];
  installed: InstalledModel[];
  roles: Record<ModelRole, string | null>;
  hardware: Hardware | null;
  generator: GeneratorStatus | null;
  downloads: Record<string, Progress>;
  error: ApiError | null;
}

const empty: ModelsState = { catalog: [], installed: [], roles: { generator: null, relevance: null, nli: null }, hardware: null, generator: null, downloads: {}, error: null };

function apiErrorOf(err: unknown): ApiError {
  const e = err as { apiError?: ApiError; message?: string };
  return e.apiError ?? { code: 'internal', message: e.message ?? String(err) };
}

export function useModels() {
  const [state, setState] = useState<ModelsState>(empty);

  const refresh = useCallback(async () => {
    try {
      const list = await request('models.list', {});
      setState((s) => ({ ...s, installed: list.installed, roles: list.roles }));
    } catch (err) {
      setState((s) => ({ ...s, error: apiErrorOf(err) }));
    }
  }, []);

  useEffect(() => {
    let live = true;
    void (async () => {
      const [catalog, hardware, generator] = await Promise.all([
        api.call('models.catalog', {}),
        api.call('models.hardware', {}),
        api.call('generator.status', {}),
      ]);
      if (!live) return;
      setState((s) => ({
        ...s,
        catalog: catalog.ok ? catalog.result : s.catalog,
        hardware: hardware.ok ? hardware.result : s.hardware,
        generator: generator.ok ? generator.result : s.generator,
        error: !catalog.ok ? catalog.error : s.error,
      }));
    })();
    void refresh();
    const off = api.onEvent((e) => {
      if (e.type === 'download.progress') setState((s) => ({ ...s, downloads: { ...s.downloads, [e.idOrRepo]: e } }));
      else if (e.type === 'models.changed') void refresh();
      else if (e.type === 'generator.status') setState((s) => ({ ...s, generator: e.status }));
    });
    return () => {
      live = false;
      off();
    };
  }, [refresh]);

  /** Runs a request; its error is shown in the dialog; the lists are refreshed after. */
  const run = useCallback(
    async <N extends RequestName>(name: N, args: RequestArgs<N>): Promise<RequestResult<N> | null> => {
      setState((s) => ({ ...s, error: null }));
      try {
        return await request(name, args);
      } catch (err) {
        const error = apiErrorOf(err);
        if (error.code !== 'cancelled') setState((s) => ({ ...s, error }));
        return null;
      } finally {
        void refresh();
      }
    },
    [refresh],
  );

  const pull = useCallback(
    async (args: RequestArgs<'models.pull'>) => {
      const key = args.idOrRepo;
      setState((s) => ({ ...s, downloads: { ...s.downloads, [key]: { type: 'download.progress', idOrRepo: key, file: '', bytes: 0, total: 0, bytesPerSecond: 0, state: 'downloading' } } }));
      await run('models.pull', args);
      setState((s) => {
        const { [key]: _done, ...rest } = s.downloads;
        return { ...s, downloads: rest };
      });
    },
    [run],
  );

  return {
    state,
    pull,
    cancel: (idOrRepo: string) => run('models.cancel', { idOrRepo }),
    remove: (id: string) => run('models.remove', { id }),
    use: (role: ModelRole, id: string) => run('models.use', { role, id }),
    importFolder: (dir: string, role: ModelRole, copy: boolean) => run('models.import', { dir, role, copy }),
    dismissError: () => setState((s) => ({ ...s, error: null })),
  };
}
