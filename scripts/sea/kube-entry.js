// The Kubernetes client as its own CommonJS bundle, embedded in the executable as an asset
// (it is 14 MB of generated API models; the commands that talk to a cluster load it).
export * from '@kubernetes/client-node';
