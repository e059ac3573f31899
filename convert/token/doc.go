// Package token is a compact JWS: Inspect decodes one (header and claims
// even when verification fails), picks the candidate keys from a KeySource
// (a key set, one key given directly, or an HMAC secret whose encoding the
// user states), checks the signature over the segments as received with
// each, and reports every candidate and why, the verdict (State*), and the
// time claims in words; Sign makes a new test token. A compact JWE is
// recognised and its protected header shown.
package token
