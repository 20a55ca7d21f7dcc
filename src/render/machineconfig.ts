/**
 * The MachineConfig MCO keeps per built-in pool, `99-<pool>-generated-registries`:
 * Ignition 3.5.0, each file overwrite: true, mode 420, contents as a data URL.
 * The raw Ignition JSON is byte-compatible with MCO's (field order and escaping).
 */
import {stringify} from 'yaml';
import {goMarshal} from './gojson.js';
import type {NodeFileText} from '../model/node-files.js';

export const IGNITION_VERSION = '3.5.0';

export function dataUrl(content: string): string {
  return 'data:text/plain;charset=utf-8;base64,' + Buffer.from(content, 'utf8').toString('base64');
}

/** spec.config exactly as MCO stores it (Go json.Marshal of the Ignition config). */
export function ignitionRaw(files: NodeFileText[]): string {
  if (files.length === 0) return goMarshal({ignition: {version: IGNITION_VERSION}});
  return goMarshal({
    ignition: {version: IGNITION_VERSION},
    storage: {files: files.map((f) => ({overwrite: true, path: f.path, contents: {compression: '', source: dataUrl(f.content)}, mode: 420}))},
  });
}

export function managedKey(pool: string): string {
  return `99-${pool}-generated-registries`;
}

export interface MachineConfigDoc {
  name: string;
  pool: string;
  /** spec.config, byte-compatible with MCO's. */
  ignition: string;
}

export function machineConfig(pool: string, files: NodeFileText[]): MachineConfigDoc {
  return {name: managedKey(pool), pool, ignition: ignitionRaw(files)};
}

/**
 * The MachineConfig object for one pool as YAML, in the shape and key order MCO's
 * client writes it (Go's YAML via JSON: keys sorted, sequences not indented). The
 * generated-by-controller-version annotation is the MCO build's git hash, which
 * only the cluster knows; it is written when `controllerVersion` is given.
 */
export function machineConfigYaml(pool: string, files: NodeFileText[], opts: {imageUid?: string; controllerVersion?: string} = {}): string {
  const name = managedKey(pool);
  const obj = {
    apiVersion: 'machineconfiguration.openshift.io/v1',
    kind: 'MachineConfig',
    metadata: {
      ...(opts.controllerVersion ? {annotations: {'machineconfiguration.openshift.io/generated-by-controller-version': opts.controllerVersion}} : {}),
      labels: {'machineconfiguration.openshift.io/role': pool},
      name,
      ownerReferences: [{apiVersion: 'config.openshift.io/v1', kind: 'Image', name: 'cluster', uid: opts.imageUid ?? ''}],
    },
    spec: {
      baseOSExtensionsContainerImage: '',
      config: {
        ignition: {version: IGNITION_VERSION},
        ...(files.length > 0
          ? {storage: {files: files.map((f) => ({contents: {compression: '', source: dataUrl(f.content)}, mode: 420, overwrite: true, path: f.path}))}}
          : {}),
      },
      extensions: null,
      fips: false,
      kernelArguments: null,
      kernelType: '',
      osImageURL: '',
    },
  };
  return stringify(obj, {lineWidth: 0, indentSeq: false});
}
