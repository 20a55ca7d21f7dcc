#!/usr/bin/env node
// A fake `oc` for tests: implements
//   oc debug node/N [--quiet] -- chroot /host sh -c SCRIPT sh /
//   oc exec -n NS POD -c CONTAINER -- sh -c SCRIPT sh /rootfs
// by running SCRIPT with the real sh against a fixture node root
// ($FAKE_OC_ROOT/<node>), i.e. the host root argument is mapped to that directory.
//
// Environment (all optional except FAKE_OC_ROOT):
//   FAKE_OC_ROOT         directory holding one sub-directory per node (<node>/etc/...)
//   FAKE_OC_LATENCY_MS   delay before answering, every node (default 0)
//   FAKE_OC_LATENCY      per node: "worker-0=1500,worker-1=20"
//   FAKE_OC_HANG         nodes that never answer: "worker-1,worker-2" (the caller's timeout must kill us)
//   FAKE_OC_IMAGE_PULL   nodes whose debug pod image cannot be pulled ("*" = all); only for `oc debug`
//   FAKE_OC_EXIT         nodes for which oc fails: "worker-1=1"
//   FAKE_OC_PODS         pod -> node map for exec: "mcd-abc=worker-0" (default: pod name minus "machine-config-daemon-")
//   FAKE_OC_LOG          append JSON lines {event: start|end, verb, node, pod, context, pid, t} to this file
//   FAKE_OC_PER_CONTEXT  "1": nodes live under $FAKE_OC_ROOT/<context>/<node>, the context named by --context=C
//                        (several fake clusters behind one fake oc)
import {spawn} from 'node:child_process';
import {appendFileSync, existsSync} from 'node:fs';
import {join} from 'node:path';

const env = process.env;
const list = (v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []);
const map = (v) => Object.fromEntries(list(v).map((kv) => kv.split('=')));
const matches = (v, node) => list(v).includes('*') || list(v).includes(node);

function die(msg, code = 1) {
  process.stderr.write(msg.endsWith('\n') ? msg : msg + '\n');
  process.exit(code);
}

const args = process.argv.slice(2);
const dd = args.indexOf('--');
if (dd < 0) die('error: fake oc supports only `debug node/N -- ...` and `exec ... -- ...`');
const before = args.slice(0, dd);
let cmd = args.slice(dd + 1);
const verb = before[0];
const context = before.find((a) => a.startsWith('--context='))?.slice('--context='.length);
let node;
let rootArg;
if (verb === 'debug') {
  const target = before.find((a) => a.startsWith('node/'));
  if (!target) die('error: fake oc debug needs node/NAME');
  node = target.slice(5);
  if (cmd[0] !== 'chroot' || cmd[1] !== '/host') die('error: fake oc debug expects `chroot /host ...` after --');
  cmd = cmd.slice(2);
  rootArg = '/';
} else if (verb === 'exec') {
  const rest = before.slice(1);
  const positional = [];
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '-n' || rest[i] === '-c' || rest[i] === '--namespace' || rest[i] === '--container') i++;
    else if (!rest[i].startsWith('-')) positional.push(rest[i]);
  }
  const pod = positional[0] ?? '';
  if (rest[rest.indexOf('-n') + 1] !== 'openshift-machine-config-operator') die(`Error from server (NotFound): pods "${pod}" not found`);
  if (rest[rest.indexOf('-c') + 1] !== 'machine-config-daemon') die(`error: container not found in pod ${pod}`);
  node = map(env.FAKE_OC_PODS)[pod] ?? pod.replace(/^machine-config-daemon-/, '');
  rootArg = '/rootfs';
} else die(`error: unknown command "${verb}" for "oc" (fake)`);

if (env.FAKE_OC_LOG) {
  const log = (event) => appendFileSync(env.FAKE_OC_LOG, JSON.stringify({event, verb, node, context, pod: verb === 'exec' ? before.slice(1).find((a, i, all) => !a.startsWith('-') && all[i - 1] !== '-n' && all[i - 1] !== '-c') : undefined, pid: process.pid, t: Date.now()}) + '\n');
  log('start');
  process.on('exit', () => log('end'));
}

// The latency is the whole answer time, counted from the moment oc was started (a real oc's own
// start-up and the work on the node are part of it): the work is done first, then the answer is
// held back until the latency has passed.
const latency = Number(map(env.FAKE_OC_LATENCY)[node] ?? env.FAKE_OC_LATENCY_MS ?? 0);
const answer = () => new Promise((r) => setTimeout(r, Math.max(0, latency - process.uptime() * 1000)));

if (matches(env.FAKE_OC_HANG, node)) {
  await answer();
  if (verb === 'debug') process.stderr.write(`Starting pod/${node}-debug-fake ...\n`);
  setInterval(() => {}, 1 << 30);
} else if (verb === 'debug' && matches(env.FAKE_OC_IMAGE_PULL, node)) {
  await answer();
  die(
    `Starting pod/${node}-debug-fake ...\nRemoving debug pod ...\n` +
      `error: unable to start debug pod: container "container-00": ErrImagePull: Source image rejected: Running image quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:${'1'.repeat(64)} is rejected by policy.`,
  );
} else if (map(env.FAKE_OC_EXIT)[node] !== undefined) {
  await answer();
  die(`error: unable to upgrade connection: container not found ("${node}")`, Number(map(env.FAKE_OC_EXIT)[node]));
} else {
  const root = env.FAKE_OC_PER_CONTEXT === '1' ? join(env.FAKE_OC_ROOT ?? '', context ?? '(no --context)', node) : join(env.FAKE_OC_ROOT ?? '', node);
  if (!env.FAKE_OC_ROOT || !existsSync(root)) await answer().then(() => die(`Error from server (NotFound): nodes "${node}" not found`));
  // Map the host root argument (the last one) to the fixture root.
  if (cmd[cmd.length - 1] !== rootArg) die(`error: fake oc expects the host root ${rootArg} as the last argument`);
  cmd = [...cmd.slice(0, -1), root + (rootArg === '/' ? '/' : '')];
  const child = spawn(cmd[0], cmd.slice(1), {stdio: ['ignore', 'pipe', 'pipe']});
  const out = [];
  const err = [];
  child.stdout.on('data', (b) => out.push(b));
  child.stderr.on('data', (b) => err.push(b));
  child.on('close', async (code, signal) => {
    await answer();
    process.stderr.write(Buffer.concat(err));
    process.stdout.write(Buffer.concat(out), () => process.exit(code ?? (signal ? 128 : 1)));
  });
}
