/**
 * The HTTP layer under every Kubernetes API call: each request is bounded by
 * `--request-timeout` (kubectl's name), and transient failures (5xx, 429 with
 * Retry-After, a reset or refused connection) are retried with bounded,
 * jittered exponential back-off through clock(), so tests run on the virtual
 * clock. Only requests that are safe to repeat are retried: reads, and writes
 * that carry a resourceVersion (a repeat of a write that did land answers 409,
 * which the caller re-reads and re-plans).
 */
import {clock} from './clock.js';

type ClientModule = typeof import('@kubernetes/client-node');
type RequestContext = InstanceType<ClientModule['RequestContext']>;
type ResponseContext = InstanceType<ClientModule['ResponseContext']>;

export interface HttpPolicy {
  server: string;
  /** Bound of one request, answer body included (ms); 0: none. */
  timeoutMs: number;
  /** Tries per request, the first included. */
  maxAttempts: number;
  /** First back-off step (ms); doubled per retry, capped by maxDelayMs, jittered. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest Retry-After honoured (ms). */
  maxRetryAfterMs: number;
  /** Told about each retry (stderr progress), optional. */
  onRetry?: (line: string) => void;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export const DEFAULT_HTTP_POLICY: Omit<HttpPolicy, 'server'> = {
  timeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
  maxAttempts: 5,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 30_000,
};

/** A request that got no (complete) answer within --request-timeout. */
export class RequestTimeout extends Error {
  override name = 'RequestTimeout';
}

const RETRY_STATUS = new Set([429, 500, 502, 503, 504]);
const RETRY_ERRNO = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/** Reads always; writes only when they carry a resourceVersion (optimistic concurrency makes a repeat safe). */
export function safeToRepeat(method: string, body: unknown): boolean {
  if (method === 'GET' || method === 'HEAD') return true;
  if (method !== 'PUT' || typeof body !== 'string') return false;
  try {
    const rv = (JSON.parse(body) as {metadata?: {resourceVersion?: unknown}}).metadata?.resourceVersion;
    return typeof rv === 'string' && rv !== '';
  } catch {
    return false;
  }
}

/** Back-off before retry number `retry` (1-based): exponential, capped, "equal jitter" (half fixed, half random). */
export function backoffMs(retry: number, policy: Pick<HttpPolicy, 'baseDelayMs' | 'maxDelayMs'>, random: () => number): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(step / 2 + (random() * step) / 2);
}

/** Retry-After in ms (seconds or an HTTP date), undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

function errnoOf(e: unknown): string | undefined {
  const x = e as {code?: unknown; errno?: unknown; cause?: {code?: unknown}};
  for (const c of [x?.code, x?.errno, x?.cause?.code]) if (typeof c === 'string') return c;
  return undefined;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}

/** An HttpLibrary for client-node's generated APIs that applies the policy to every request. */
export function robustHttp(mod: ClientModule, policy: HttpPolicy): import('@kubernetes/client-node').HttpLibrary {
  const inner = new mod.IsomorphicFetchHttpLibrary();
  const once = async (request: RequestContext): Promise<ResponseContext> => {
    const ac = new AbortController();
    // A deadline, not a wait: a real timer even on the virtual clock (it never decides an outcome in tests
    // except for a server that never answers).
    // 0 means no bound, as in kubectl.
    const timer = policy.timeoutMs > 0 ? setTimeout(() => ac.abort(), policy.timeoutMs) : undefined;
    request.setSignal(ac.signal);
    try {
      const res = await inner.send(request).toPromise();
      // The whole answer is read under the same deadline.
      const text = await res.body.text();
      return new mod.ResponseContext(res.httpStatusCode, res.headers, {text: () => Promise.resolve(text), binary: () => Promise.resolve(Buffer.from(text))});
    } catch (e) {
      if (ac.signal.aborted) throw new RequestTimeout(`the API server at ${policy.server} did not answer ${request.getHttpMethod()} ${new URL(request.getUrl()).pathname} within ${seconds(policy.timeoutMs)} (--request-timeout)`);
      throw e;
    } finally {
      clearTimeout(timer);
    }
  };
  const send = async (request: RequestContext): Promise<ResponseContext> => {
    const repeatable = safeToRepeat(String(request.getHttpMethod()), request.getBody());
    const c = clock();
    for (let attempt = 1; ; attempt++) {
      let wait: number | undefined;
      let why: string;
      try {
        const res = await once(request);
        if (!repeatable || attempt >= policy.maxAttempts || !RETRY_STATUS.has(res.httpStatusCode)) return res;
        const ra = retryAfterMs(res.headers['retry-after'], c.now());
        if (ra !== undefined) wait = Math.min(ra, policy.maxRetryAfterMs);
        why = `answered ${res.httpStatusCode}`;
      } catch (e) {
        const code = errnoOf(e);
        if (e instanceof RequestTimeout || !repeatable || attempt >= policy.maxAttempts || !code || !RETRY_ERRNO.has(code)) throw e;
        why = code;
      }
      const delay = Math.max(wait ?? 0, backoffMs(attempt, policy, () => c.random()));
      policy.onRetry?.(`${request.getHttpMethod()} ${new URL(request.getUrl()).pathname}: ${why}; retrying in ${seconds(delay)} (${attempt}/${policy.maxAttempts - 1})`);
      await c.sleep(delay);
    }
  };
  return {send: (request) => new mod.Observable<ResponseContext>(send(request))};
}
