/**
 * The release payload: which image it is, where its repository and component
 * images live, and what is assumed when the input does not say. One place for
 * every rule that depends on the payload. Pure.
 */
import {parseNormalizedNamed, refName} from './reference.js';

export const DEFAULT_RELEASE_REPO = 'quay.io/openshift-release-dev/ocp-release';
/** Where the release payload's component images live (referenced by digest from the release image). */
export const ART_REPO = 'quay.io/openshift-release-dev/ocp-v4.0-art-dev';
/** Used when the input has no ClusterVersion: the public release repository, pinned by digest as clusters do. */
export const ASSUMED_RELEASE_IMAGE = `${DEFAULT_RELEASE_REPO}@sha256:${'0'.repeat(64)}`;

/** The repository of a release image (`quay.io/openshift-release-dev/ocp-release`); the default one when it does not parse. */
export function payloadRepoOf(releaseImage: string | undefined): string {
  if (!releaseImage) return DEFAULT_RELEASE_REPO;
  try {
    return refName(parseNormalizedNamed(releaseImage));
  } catch {
    return DEFAULT_RELEASE_REPO;
  }
}

export interface Release {
  image: string;
  /** ClusterVersion status.desired.version, when known. */
  version?: string;
  /** True when the input named no release image and ASSUMED_RELEASE_IMAGE stands in. */
  assumed: boolean;
}

/** The release a configuration is evaluated against: an explicit override, the input's ClusterVersion, or the assumption. */
export function releaseOf(inputImage: string | undefined, override?: string, version?: string): Release {
  if (override) return {image: override, version, assumed: false};
  if (inputImage !== undefined) return {image: inputImage, version, assumed: false};
  return {image: ASSUMED_RELEASE_IMAGE, version, assumed: true};
}
