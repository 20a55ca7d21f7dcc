/** Where the configuration comes from: manifests (`-f`) or the live cluster. */
import {loadManifests, type LoadResult} from '../model/manifests.js';
import {readManifests} from './manifest-files.js';
import type {Kube, KubeOptions} from './kube.js';

export interface SourceOptions extends KubeOptions {
  file?: string[];
}

export interface Loaded extends LoadResult {
  mode: 'file' | 'live';
}

/** `connected`: a connection the caller already made (one discovery check, one client per run). */
export async function loadState(opts: SourceOptions, connected?: Promise<Kube>): Promise<Loaded> {
  if (opts.file && opts.file.length > 0) {
    return {...loadManifests(await readManifests(opts.file)), mode: 'file'};
  }
  const {readLiveState} = await import('./live-state.js');
  return {...(await readLiveState(opts, [], connected ? await connected : undefined)), mode: 'live'};
}
