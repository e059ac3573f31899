// Package keyset is the workspace: the ordered key set being assembled
// (Workspace: add with dedupe by thumbprint, edit kid, use, alg and rotation
// notes, reorder, remove), its lint (one finding per key, one per group of
// keys sharing a kid), its rotation, its public export, its comparison with
// a fetched set, the fetch itself under its policy (FetchJWKS,
// DiscoverIssuer: https only, checked addresses, a timeout and a size cap),
// and its Store, which keeps its public part in a file between runs, and
// the Keystore, which keeps its private keys encrypted with a passphrase.
package keyset
