/**
 * The preload: exposes exactly the contract (`call` + `onEvent`) and nothing else. Sandboxed, so it is bundled
 * to one CommonJS file.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { Channel, type EngineEvent, type LonghandApi } from '../contract/contract.ts';

const api = {
  call: (name, args) => ipcRenderer.invoke(Channel.call, name, args),
  onEvent: (listener) => {
    const wrapped = (_e: IpcRendererEvent, event: EngineEvent) => listener(event);
    ipcRenderer.on(Channel.event, wrapped);
    return () => ipcRenderer.off(Channel.event, wrapped);
  },
} satisfies LonghandApi;

contextBridge.exposeInMainWorld('longhand', api);
