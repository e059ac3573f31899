package convert

import (
	"fmt"

	"github.com/lestrrat-go/jwx/v3/jwk"
)

// certMembers are what a certificate item adds to the key it certifies.
var certMembers = []string{jwk.X509CertChainKey, jwk.X509CertThumbprintKey, jwk.X509CertThumbprintS256Key}

// mergeKeyCertificates gives a private key pasted with its certificate (or
// chain) the certificate's x5c, x5t and x5t#S256 (RFC 7517 §4.7–4.9), and
// drops the certificate's own public item: one private JWK, not two JWKs of
// the same key. A certificate of another key stays a key of its own, with a
// warning when the input holds exactly one private key and one certificate
// (the user most likely meant them as a pair).
func mergeKeyCertificates(items []Item) ([]Item, []string) {
	var warns []string
	drop := make([]bool, len(items))
	for i, it := range items {
		if it.Kind != ItemCertificate || it.Key == nil {
			continue
		}
		j := privateKeyOf(items, it.Key)
		if j < 0 {
			if pairExpected(items) {
				warns = append(warns, "The certificate holds another public key than the private key: they are read as two keys")
			}
			continue
		}
		if err := copyMembers(it.Key, items[j].Key, certMembers); err != nil {
			warns = append(warns, fmt.Sprintf("the certificate could not be attached to the private key: %v", err))
			continue
		}
		items[j].Label += "; with its " + it.Label
		items[j].Warnings = append(items[j].Warnings, it.Warnings...)
		drop[i] = true
	}
	var out []Item
	for i, it := range items {
		if !drop[i] {
			out = append(out, it)
		}
	}
	return out, warns
}

// privateKeyOf is the position of the private key item whose public key is
// pub and that carries no certificate yet, or -1.
func privateKeyOf(items []Item, pub jwk.Key) int {
	tp := thumbprintOrEmpty(pub)
	if tp == "" {
		return -1
	}
	for j, p := range items {
		if p.Kind == ItemKey && p.Key != nil && IsPrivate(p.Key) && !p.Key.Has(jwk.X509CertChainKey) && thumbprintOrEmpty(p.Key) == tp {
			return j
		}
	}
	return -1
}

// pairExpected reports whether items are exactly one private key and one
// certificate: pasted together, they were meant as a pair.
func pairExpected(items []Item) bool {
	privates, certs := 0, 0
	for _, it := range items {
		switch {
		case it.Kind == ItemCertificate:
			certs++
		case it.Key != nil && IsPrivate(it.Key):
			privates++
		}
	}
	return privates == 1 && certs == 1
}

// copyMembers sets on dst the members of src named in names that src has.
func copyMembers(src, dst jwk.Key, names []string) error {
	for _, name := range names {
		if !src.Has(name) {
			continue
		}
		var v any
		if err := src.Get(name, &v); err != nil {
			return fmt.Errorf("failed to read %s: %w", name, err)
		}
		if err := dst.Set(name, v); err != nil {
			return fmt.Errorf("failed to set %s: %w", name, err)
		}
	}
	return nil
}
