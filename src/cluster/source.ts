/** Where the configuration comes from: manifests (`-f`) or the live cluster. */
import {loadManifests, type LoadResult} from '../model/manifests.js';
import {readManifests} from './manifest-files.js';
import type {KubeOptions} from './kube.js';

export interface SourceOptions extends KubeOptions {
  file?: string[];
}

export interface Loaded extends LoadResult {
  mode: 'file' | 'live';
}

export async function loadState(opts: SourceOptions): Promise<Loaded> {
  if (opts.file && opts.file.length > 0) {
    return {...loadManifests(await readManifests(opts.file)), mode: 'file'};
  }
  const {readLiveState} = await import('./live-state.js');
  return {...(await readLiveState(opts)), mode: 'live'};
}
