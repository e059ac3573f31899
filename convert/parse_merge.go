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
	var out []Item
	var warns []string
	used := make([]bool, len(items))
	privates, certs := 0, 0
	for _, it := range items {
		switch {
		case it.Kind == ItemCertificate:
			certs++
		case it.Key != nil && IsPrivate(it.Key):
			privates++
		}
	}
	for i, it := range items {
		if it.Kind != ItemCertificate || it.Key == nil {
			continue
		}
		tp := thumbprintOrEmpty(it.Key)
		for j := range items {
			p := &items[j]
			if p.Kind != ItemKey || p.Key == nil || !IsPrivate(p.Key) || p.Key.Has(jwk.X509CertChainKey) {
				continue
			}
			if tp == "" || thumbprintOrEmpty(p.Key) != tp {
				continue
			}
			if err := copyMembers(it.Key, p.Key, certMembers); err != nil {
				warns = append(warns, fmt.Sprintf("the certificate could not be attached to the private key: %v", err))
				break
			}
			p.Label += "; with its " + it.Label
			p.Warnings = append(p.Warnings, it.Warnings...)
			used[i] = true
			break
		}
		if !used[i] && privates == 1 && certs == 1 {
			warns = append(warns, "The certificate holds another public key than the private key: they are read as two keys")
		}
	}
	for i, it := range items {
		if !used[i] {
			out = append(out, it)
		}
	}
	return out, warns
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
